"""inspections pages."""

urlpatterns: list = []
