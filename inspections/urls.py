"""Each views module declares its own URL patterns; they share the app's namespace."""

from .views import inspections, results, schemes, scoring

app_name = "inspections"

urlpatterns = [
    *schemes.urlpatterns,
    *inspections.urlpatterns,
    *scoring.urlpatterns,
    *results.urlpatterns,
]
