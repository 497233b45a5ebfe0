from common.commands import WorkbookImportCommand
from inspections.choices import CheckMode
from inspections.results_import import import_results


class Command(WorkbookImportCommand):
    help = "导入一个季度的检查结果工作簿（政府网站、政务新媒体），全部通过校验才写入。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, required=True, help="年度，如 2021")
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4], help="季度")
        parser.add_argument(
            "--scheme", action="append", default=[], dest="schemes", metavar="NAME",
            help="新建检查所用的指标体系名称（默认用检查对象的默认指标体系）；"
                 "工作簿同时含两类对象时可为每类各指定一次",
        )
        parser.add_argument("--mode", choices=CheckMode.values, default=CheckMode.FULL,
                            help="full 全覆盖（默认）或 sample 抽查")

    def run_import(self, handle, *, size, year, quarter, schemes, mode, **options):
        return import_results(handle, year=year, quarter=quarter, schemes=schemes, mode=mode,
                              size=size)
