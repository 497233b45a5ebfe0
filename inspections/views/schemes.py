"""schemes pages."""

urlpatterns: list = []
