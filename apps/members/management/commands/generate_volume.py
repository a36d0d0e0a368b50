import time

from django.core.management.base import BaseCommand, CommandError

from ..volume import volume_generate, volume_year_generate


class Command(BaseCommand):
    help = (
        "生成用于性能测试的大量会员、工会和用人单位（可重复运行，每次在已有数据后继续编号）；"
        "--year 再为各应用生成最近一年的业务记录（如维权案件）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=0, help="要生成的会员人数")
        parser.add_argument("--year", action="store_true", help="为已有会员生成最近一年的各类业务记录")
        parser.add_argument("--only", default="", help="与 --year 同用：只生成这些应用的记录，逗号分隔，如 awards,innovation")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子、相同数据库状态得到相同数据）")

    def handle(self, *args, members, year, seed, only, **options):
        if not members and not year:
            raise CommandError("请给出 --members 人数或 --year。")
        if members and (members < 1 or members > 2_000_000):
            raise CommandError("--members 应在 1 到 2000000 之间。")
        if members:
            started = time.monotonic()
            report = volume_generate(members=members, seed=seed)
            elapsed = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(
                f"已生成会员 {report.members} 名、用人单位 {report.employers} 家、"
                f"单独基层工会 {report.enterprise_unions} 个、联合工会 {report.joint_unions} 个、"
                f"新建镇街兜底工会 {report.catch_all_created} 个，用时 {elapsed:.1f} 秒。"
            ))
        if year:
            started = time.monotonic()
            try:
                done = volume_year_generate(seed=seed, only=[name.strip() for name in only.split(",") if name.strip()])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            parts = "、".join(f"{name} {count} 条" for name, count in done.items()) or "无"
            self.stdout.write(self.style.SUCCESS(
                f"已生成最近一年的业务记录：{parts}，用时 {time.monotonic() - started:.1f} 秒。"
            ))
