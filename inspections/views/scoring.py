"""scoring pages."""

urlpatterns: list = []
