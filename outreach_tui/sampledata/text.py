"""Streets and officers' notes for sample data."""

from __future__ import annotations

import random

from outreach_tui.sampledata.weighted import names as _names

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
