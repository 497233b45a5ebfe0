import django_tables2 as tables


class DateColumn(tables.DateColumn):
    def __init__(self, **kwargs):
        kwargs.setdefault("format", "Y-m-d")
        super().__init__(**kwargs)

    def value(self, value):
        return value  # exports keep a real date, not its text
