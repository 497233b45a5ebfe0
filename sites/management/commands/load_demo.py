from django.core.management.base import BaseCommand
from django.db import transaction

from assessment.demo import load_assessment
from inspections.campaign_demo import load_campaigns
from inspections.demo import load_inspections
from interaction.demo import load_messages
from sites import demo


class Command(BaseCommand):
    help = "载入演示数据（文山州），可重复执行；最后列出演示账号。"

    def add_arguments(self, parser):
        parser.add_argument("--logins", action="store_true", help="只列出演示账号，不载入数据")

    def handle(self, *args, logins: bool, **options):
        data = demo.demo_data()
        if not logins:
            with transaction.atomic():
                demo.load_directory(data)
                demo.load_users(data)
                load_inspections(data)
                load_campaigns(data)
                load_messages()
                load_assessment(data)
            self.stdout.write(
                "演示数据已载入：文山州名录；2021年三、四季度政府网站检查和四季度政务新媒体检查；"
                "2021年上半年专项排查整治；四季度政民互动留言；2021年度报表与监管工作年度考核。"
            )
        self.stdout.write("演示账号（仅供试用，正式部署前请删除）：")
        for line in demo.login_lines(data):
            self.stdout.write(line)
