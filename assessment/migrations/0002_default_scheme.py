from django.db import migrations

from assessment import default_scheme


def create_scheme(apps, schema_editor):
    default_scheme.create(apps.get_model("assessment", "Scheme"), apps.get_model("assessment", "Item"))


def remove_scheme(apps, schema_editor):
    apps.get_model("assessment", "Scheme").objects.filter(name=default_scheme.NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(create_scheme, remove_scheme)]
