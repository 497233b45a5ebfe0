from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.assembly import build_document, new_circular
from reports.choices import FileFormat
from reports.defaults import top_region
from reports.models import Circular
from reports.rendering import render


class Command(BaseCommand):
    help = "生成某季度的通报：已起草的用起草的，已签发的输出签发原件，否则按数据生成草稿。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("--format", required=True, choices=FileFormat.values, dest="fmt")
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args, year: int, quarter: int, fmt: str, output: Path, **options):
        region = top_region()
        if region is None:
            raise CommandError("名录中还没有地区，请先导入名录。")
        circular = (
            Circular.objects.filter(region=region, year=year, quarter=quarter)
            .order_by("-status", "-pk").first()  # an issued circular before any draft
        )
        if circular is not None and circular.is_issued:
            content = circular.files.get(format=fmt, issued=True).file.read()
            source = f"已签发的通报 {circular.doc_number_text}（签发原件）"
        else:
            circular = circular or new_circular(region, year, quarter)
            content = render(fmt, build_document(circular))
            source = f"通报{'草稿' if circular.pk else '（按数据生成的草稿）'} {circular.doc_number_text}"
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(content)
        self.stdout.write(f"{source} → {output}（{len(content):,} 字节）")
