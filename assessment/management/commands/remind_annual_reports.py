from django.core.management.base import BaseCommand, CommandError

from assessment.duties import remind
from assessment.models import AssessmentYear


class Command(BaseCommand):
    help = "向有未完成年度报表的联络员发送提醒邮件（列出其范围内未完成的报表）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="报表年度，如 2021")

    def handle(self, *args, year: int, **options):
        years = list(AssessmentYear.objects.filter(year=year).select_related("region"))
        if not years:
            raise CommandError(f"没有{year}年度的考核年度记录，请先在门户中建立并生成年度报表任务。")
        for assessment_year in years:
            sent = remind(assessment_year)
            self.stdout.write(f"{assessment_year}：已发送提醒邮件 {sent} 封。")
