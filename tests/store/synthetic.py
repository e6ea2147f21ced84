"""Synthetic Indonesian-looking records for store tests and timing scripts (no real people)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

GIVEN = (  # noqa: SIM905 (a word list reads better as text)
    "Siti Nur Muhammad Ahmad Dewi Sri Budi Agus Rina Putri Eko Joko Wahyu Indah Ayu Dian "
    "Fitri Hendra Rizki Yusuf Aisyah Fatimah Bambang Slamet Wati Andi Made Ketut Nyoman "
    "Wayan Komang Putu Ni Ma'ruf Nur-Aini Zulkifli Rahmat Hasan Husein Umar Yanti Sari "
    "Tri Dwi Eka Asep Ujang Cecep Dadang Iwan Irfan Ilham Fajar Bayu Galih Gilang Intan "
    "Kartika Lina Maya Novi Oki Reza Taufik Teguh Yogi Yuni Zainal Suparman Sutrisno "
    "Ngatini Mulyani André Chloé Hélène Mbok"
).split()
FAMILY = (  # noqa: SIM905 (a word list reads better as text)
    "Lestari Rahmawati Hidayat Saputra Kurniawan Pratama Setiawan Susanto Wijaya Santoso "
    "Gunawan Nugroho Hartono Purnomo Siregar Nasution Harahap Lubis Simanjuntak Pane "
    "Sinaga Tambunan Manurung Situmorang Rangkuti Wibowo Suryadi Permana Hakim "
    "Firmansyah Ramadhan Syahputra Maulana Anggraini Handayani Wulandari Puspitasari "
    "Sulistyowati"
).split()
PROVINCES = ("11", "12", "31", "32", "33", "34", "35", "36", "51", "62", "73", "81", "94")
STATUSES = ("prospect", "prospect", "interested", "enrolled", "declined")


def synthetic_nik(rng: random.Random) -> str:
    """A 16-digit NIK-shaped string: region, birth date (women +40), serial."""
    day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)
    return (
        f"{rng.choice(PROVINCES)}{rng.randint(1, 30):02d}{rng.randint(1, 40):02d}"
        f"{day:02d}{rng.randint(1, 12):02d}{rng.randint(50, 99):02d}{rng.randint(1, 9999):04d}"
    )


def synthetic_record(rng: random.Random) -> dict[str, Any]:
    """One plausible, already-normalized record dict (no id: the store makes one)."""
    parts = [rng.choice(GIVEN)]
    for _ in range(rng.choice((0, 1, 1, 2))):
        parts.append(rng.choice(GIVEN + FAMILY))
    status = rng.choice(STATUSES)
    has_nik = status == "enrolled" or rng.random() < 0.6
    return {
        "full_name": " ".join(parts),
        "nik": synthetic_nik(rng) if has_nik else None,
        "consent": has_nik,
        "phone": f"+628{rng.choice('1257')}{rng.randint(1, 9)}{rng.randint(10**6, 10**8 - 1)}",
        "occupation": rng.choice(("ojol", "kurir", "petani", "nelayan", "pedagang_pasar")),
        "monthly_income": rng.choice((1_000_000, 1_500_000, 2_000_000, 3_500_000)),
        "programs": rng.choice(("JKK,JKM", "JKK,JKM,JHT")),
        "payment_period": rng.choice((1, 3, 6, 12)),
        "region_code": f"32.01.{rng.randint(1, 40):02d}.{rng.randint(1001, 1020)}",
        "rw": f"{rng.randint(1, 12):03d}",
        "rt": f"{rng.randint(1, 15):03d}",
        "street": f"Jl. Melati No. {rng.randint(1, 200)}",
        "status": status,
        "decline_reason": "biaya" if status == "declined" else None,
        "follow_up_on": (
            f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if status in ("prospect", "interested") and rng.random() < 0.5
            else None
        ),
        "notes": None,
    }


def synthetic_records(count: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    """``count`` records, the same ones for the same seed."""
    rng = random.Random(seed)
    for _ in range(count):
        yield synthetic_record(rng)
