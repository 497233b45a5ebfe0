"""results pages."""

urlpatterns: list = []
