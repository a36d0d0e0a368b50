import time

from django.core.management.base import BaseCommand, CommandError

from ..volume import volume_generate


class Command(BaseCommand):
    help = "生成用于性能测试的大量会员、工会和用人单位（可重复运行，每次在已有数据后继续编号）。"

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, required=True, help="要生成的会员人数")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子、相同数据库状态得到相同数据）")
        parser.add_argument("--mutualaid-claims", type=int, default=0, help="另生成本年度互助保障申请的件数（如 300000）")

    def handle(self, *args, members, seed, mutualaid_claims=0, **options):
        if members < 1 or members > 2_000_000:
            raise CommandError("--members 应在 1 到 2000000 之间。")
        started = time.monotonic()
        report = volume_generate(members=members, seed=seed)
        if mutualaid_claims:
            from apps.mutualaid.demo import volume as mutualaid_volume

            mutualaid_volume(claims=mutualaid_claims, seed_value=seed, stdout=self.stdout)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(
            f"已生成会员 {report.members} 名、用人单位 {report.employers} 家、"
            f"单独基层工会 {report.enterprise_unions} 个、联合工会 {report.joint_unions} 个、"
            f"新建镇街兜底工会 {report.catch_all_created} 个，用时 {elapsed:.1f} 秒。"
        ))
