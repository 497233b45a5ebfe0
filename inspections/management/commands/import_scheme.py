from common.commands import WorkbookImportCommand
from inspections.choices import Target
from inspections.scheme_import import import_scheme


class Command(WorkbookImportCommand):
    help = (
        "导入指标体系工作簿（工作表“指标”）。名称与已有指标体系相同时替换其指标"
        "（已用于已结束检查的除外）；全部通过校验才写入。"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--name", required=True, help="指标体系名称")
        parser.add_argument("--target", required=True, choices=Target.values,
                            help="检查对象：websites（政府网站）或 newmedia（政务新媒体）")

    def run_import(self, handle, *, size, name, target, **options):
        return import_scheme(handle, name=name, target=target, size=size)
