from common.commands import WorkbookImportCommand
from sites.directory_import import import_directory


class Command(WorkbookImportCommand):
    help = "导入名录工作簿（地区、政府网站、政务新媒体），全部通过校验才写入。"

    def run_import(self, handle, *, size, **options):
        return import_directory(handle, size=size)
