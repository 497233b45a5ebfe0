from common.commands import WorkbookImportCommand
from interaction.message_import import import_messages


class Command(WorkbookImportCommand):
    help = "导入网民留言工作簿（工作表“留言”），全部通过校验才写入。"

    def run_import(self, handle, *, size, **options):
        return import_messages(handle, size=size)
