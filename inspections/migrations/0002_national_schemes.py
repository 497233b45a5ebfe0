from django.db import migrations

from inspections import national_schemes


def create_schemes(apps, schema_editor):
    national_schemes.create(
        apps.get_model("inspections", "Scheme"), apps.get_model("inspections", "Indicator")
    )


def remove_schemes(apps, schema_editor):
    apps.get_model("inspections", "Scheme").objects.filter(
        name__in=["国家政府网站检查指标（2019）", "国家政务新媒体检查指标（2019）"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(create_schemes, remove_schemes)]
