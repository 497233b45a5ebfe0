"""The shape every workbook import command shares: read a file, list every problem on
stderr and exit non-zero, or print what changed."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from .workbook import ImportFailed


class WorkbookImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="工作簿 .xlsx")

    def run_import(self, handle, *, size: int, **options):
        """Import the open file; return a result with summary_lines()."""
        raise NotImplementedError

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            with file.open("rb") as handle:
                result = self.run_import(handle, size=file.stat().st_size, **options)
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"导入失败，共 {len(failure.problems)} 个问题，未做任何修改。") from None
        for line in result.summary_lines():
            self.stdout.write(line)
