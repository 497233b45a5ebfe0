from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.workbook import ImportFailed
from sites.directory_import import import_directory


class Command(BaseCommand):
    help = "导入名录工作簿（地区、政府网站、政务新媒体），全部通过校验才写入。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="名录工作簿 .xlsx")

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            with file.open("rb") as handle:
                result = import_directory(handle, size=file.stat().st_size)
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"导入失败，共 {len(failure.problems)} 个问题，未做任何修改。") from None
        for line in result.summary_lines():
            self.stdout.write(line)
