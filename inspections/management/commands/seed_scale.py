"""A province-scale data set for benchmarks: regions, units, websites, accounts and several
quarters of scored checks, written in bulk. Deterministic for a given --seed."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from inspections.assessments import recompute
from inspections.choices import CheckMode, CheckStatus, Target
from inspections.models import Assessment, Finding, Inspection, Scheme, Score
from inspections.scoring import SchemeTree
from newmedia.choices import Platform
from newmedia.models import Account
from sites.models import Region, Unit, Website

PLATFORMS = [Platform.WECHAT] * 5 + [Platform.WEIBO] * 2 + [Platform.DOUYIN] * 2 + [
    Platform.TOUTIAO, Platform.KUAISHOU, Platform.APP]


class Command(BaseCommand):
    help = "生成省级规模的测试数据（用于性能测试），写入当前数据库。"

    def add_arguments(self, parser):
        parser.add_argument("--sites", type=int, default=1000)
        parser.add_argument("--accounts", type=int, default=10000)
        parser.add_argument("--quarters", type=int, default=8)
        parser.add_argument("--cities", type=int, default=16)
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--province", default="测试省")

    @transaction.atomic
    def handle(self, *args, sites, accounts, quarters, cities, seed, province, **options):
        if Region.objects.filter(name=province, parent=None).exists():
            raise CommandError(f"“{province}”已存在；请换一个 --province 或使用空数据库。")
        rng = random.Random(seed)
        started = timezone.now()
        top, units = self.directory(rng, province, cities, sites, accounts)
        self.stdout.write(f"名录：{len(units)} 个单位，{sites} 个网站，{accounts} 个账号")
        year, quarter = 2020, 1
        for _ in range(quarters):
            self.website_check(rng, top, year, quarter)
            self.account_check(rng, top, year, quarter)
            year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(f"{quarters} 个季度的检查已生成，用时 {seconds:.1f} 秒")

    def directory(self, rng, province, cities, sites, accounts):
        top = Region.objects.create(name=province, level="province", code="990000")
        city_regions = Region.objects.bulk_create(
            Region(name=f"{province}第{c + 1}市", parent=top, level="city", code=f"99{c + 1:02d}00")
            for c in range(cities)
        )
        Region.fill_paths(city_regions)
        counties = Region.objects.bulk_create(
            Region(name=f"{city.name}第{k + 1}县", parent=city, level="county",
                   code=f"{city.code[:4]}{k + 1:02d}")
            for city in city_regions for k in range(8)
        )
        Region.fill_paths(counties)
        regions = [top, *city_regions, *counties]
        units = Unit.objects.bulk_create(
            Unit(name=f"{region.name}第{u + 1}单位", region=region)
            for region in regions for u in range(6)
        )
        Unit.fill_paths(units)
        portals = {u.region_id: u for u in reversed(units)}  # each region's first unit
        Website.objects.bulk_create(
            Website(site_code=f"99{i:08d}", name=f"测试网站{i}", url=f"http://t{i}.example.gov.cn",
                    kind="portal" if i < len(regions) else "department",
                    unit=portals[regions[i].pk] if i < len(regions) else rng.choice(units))
            for i in range(sites)
        )
        Account.objects.bulk_create(
            Account(name=f"测试账号{i}", platform=PLATFORMS[i % len(PLATFORMS)],
                    unit=rng.choice(units), filing="filed" if i % 20 else "unfiled")
            for i in range(accounts)
        )
        return top, units

    def _inspection(self, top, year, quarter, target, mode=CheckMode.FULL, rate=None):
        start = datetime.date(year, quarter * 3 - 1, 1)
        return Inspection.objects.create(
            region=top, year=year, quarter=quarter, target=target, mode=mode,
            window_start=start, window_end=start + datetime.timedelta(days=34),
            scheme=Scheme.objects.default_for(target), status=CheckStatus.CLOSED, sample_rate=rate,
            sample_seed=year * 10 + quarter,
        )

    def website_check(self, rng, top, year, quarter):
        inspection = self._inspection(top, year, quarter, Target.WEBSITES)
        tree = SchemeTree.of(inspection.scheme)
        targets = list(Website.objects.within(top).running_on(inspection.window_end))
        assessments = self._assessments(inspection, "website", targets)
        groups = tree.scored_groups()[:4]
        Score.objects.bulk_create(
            Score(assessment=a, indicator_id=g.id,
                  points=Decimal(rng.randint(int(g.max_points) * 5, int(g.max_points) * 10)) / 10)
            for a in assessments for g in groups
        )
        veto = sorted(tree.veto_ids())
        Finding.objects.bulk_create(
            Finding(assessment=a, indicator_id=rng.choice(veto), description="测试：单项否决")
            for a in assessments if rng.random() < 0.03
        )
        recompute(assessments, tree)
        Inspection.objects.filter(pk=inspection.pk).update(population_size=len(targets))

    def account_check(self, rng, top, year, quarter):
        inspection = self._inspection(top, year, quarter, Target.NEWMEDIA, CheckMode.SAMPLE,
                                      Decimal("13.6"))
        tree = SchemeTree.of(inspection.scheme)
        population = list(Account.objects.within(top).registered_running_on(inspection.window_end))
        sample = rng.sample(population, round(len(population) * 0.136))
        assessments = self._assessments(inspection, "account", sample)
        veto = sorted(tree.veto_ids())
        Finding.objects.bulk_create(
            Finding(assessment=a, indicator_id=rng.choice(veto), description="测试：内容不更新",
                    post_dates=[f"{year}-{quarter * 3:02d}-01"])
            for a in assessments if rng.random() < 0.05
        )
        recompute(assessments, tree)
        Inspection.objects.filter(pk=inspection.pk).update(population_size=len(population))

    def _assessments(self, inspection, field, targets) -> list[Assessment]:
        scored_at = timezone.make_aware(datetime.datetime.combine(inspection.window_end, datetime.time(17)))
        Assessment.objects.bulk_create(
            Assessment(inspection=inspection, unit_id=t.unit_id, scored_at=scored_at, **{field: t})
            for t in targets
        )
        return list(inspection.assessments.all())
