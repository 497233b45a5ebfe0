"""Each views module declares its own URL patterns; they share the app's namespace."""

from .views import campaigns, inspections, rectification, results, schemes, scoring

app_name = "inspections"

urlpatterns = [
    *schemes.urlpatterns,
    *inspections.urlpatterns,
    *scoring.urlpatterns,
    *results.urlpatterns,
    *campaigns.urlpatterns,
    *rectification.urlpatterns,
]
