from django.core.management.base import BaseCommand

from interaction.models import Message


class Command(BaseCommand):
    help = "按当前的节假日安排重新计算全部留言的办理期限（升级 chinesecalendar 后运行）。"

    def handle(self, *args, **options):
        changed = Message.objects.all().recompute_deadlines()
        self.stdout.write(f"已重新计算办理期限：{changed} 条留言的期限有变化。")
