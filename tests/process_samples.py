"""Valid inputs of every scenario form (core.process.scenarios.SCENARIOS) and tiny files of every accepted type,
shared by the unit, integration and app tests of process capture."""
from __future__ import annotations

from datetime import datetime, timedelta

from tests.factories import NOW

# The form's inputs of each scenario, complete and valid when the activity happens at or after NOW - 1 day
# (next_action_at lies two days after NOW). Photos and voice notes are attachments, not inputs.
VALID: dict[str, dict] = {
    "first_visit": {"problem": "检查排队超过一周", "concerns": "价格、交付周期、售后响应",
                    "next_action": "发送报价单", "next_action_at": NOW + timedelta(days=2)},
    "needs_summary": {"problem": "耗材采购分散", "concerns": ["价格", "培训支持", "付款方式"],
                      "next_action": "安排产品演示", "next_action_at": (NOW + timedelta(days=2)).isoformat()},
    "cold_visit": {"outcome": "客户同意安排演示", "effective": True, "attendees": 2},
    "demo": {"product": "超声设备", "attendees": 5, "feedback": "图像质量满意"},
    "proposal": {"product": "CT设备", "version": 2, "amount": "1,250,000"},
    "promotion": {"promotion": "买十赠一", "store": "杭州华康超市", "period_days": 7},
    "promotion_evidence": {"note": "端架陈列已到位，堆头三处"},
    "objection": {"objection": "价格偏高，比竞品贵15%", "category": "price"},
    "solution_update": {"progress": "已申请特价，等待审批", "resolved": False},
    "renewal": {"contract_months": 12, "amount": 86000, "note": "维保合同续签一年"},
    "complaint": {"issue": "到货延迟两天", "action_taken": "已协调仓库加急发货", "resolved": True},
}
# photos each scenario needs to be valid (the promotion evidence's default minimum is 3)
PHOTOS = {"promotion_evidence": 3}



def _image(fmt: str, colour: tuple = (200, 30, 30)) -> bytes:
    """A real 8×8 image (so that pages can draw it)."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buf, format=fmt)
    return buf.getvalue()


JPEG = _image("JPEG")
PNG = _image("PNG")
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A isom" + b"\x00" * 64
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x0f" + b"\x00" * 64
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 64
OGG = b"OggS\x00\x02" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def photos(n: int, prefix: str = "shelf") -> list:
    """``n`` distinct small JPEG uploads."""
    from core.process.attachments import Upload

    return [Upload(f"{prefix}{i}.jpg", _image("JPEG", (10 * i, 120, 200))) for i in range(n)]


def happened(hours_ago: float) -> datetime:
    return NOW - timedelta(hours=hours_ago)
