"""The two 我为政府网站找错 rules of the default scheme said 上一年度 while the portal counts
the messages of the assessed year; reword them where the office has not edited them, and
never in a scheme a locked year was scored under."""

from django.db import migrations

from assessment import default_scheme

CHECK = "分值" + default_scheme.CHECK
OLD_RULES = {
    "找错留言未办结": "上一年度“我为政府网站找错”平台网民留言未办结的，每条扣3分。" + CHECK,
    "找错留言办结超期": "上一年度“我为政府网站找错”平台网民留言办结时间超过一个月的，每条扣2分。" + CHECK,
}
NEW_RULES = {
    "找错留言未办结": default_scheme.MESSAGES_UNHANDLED_RULE + CHECK,
    "找错留言办结超期": default_scheme.MESSAGES_LATE_RULE + CHECK,
}


def reword(apps, schema_editor, rules_from=OLD_RULES, rules_to=NEW_RULES):
    Item = apps.get_model("assessment", "Item")
    for name, old in rules_from.items():
        Item.objects.filter(name=name, rule=old).exclude(
            scheme__years__locked_at__isnull=False).update(rule=rules_to[name])


def reword_back(apps, schema_editor):
    reword(apps, schema_editor, NEW_RULES, OLD_RULES)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_default_scheme")]
    operations = [migrations.RunPython(reword, reword_back)]
