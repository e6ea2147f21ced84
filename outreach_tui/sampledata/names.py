"""Indonesian names for sample data, by region and tradition, matched to sex and age."""

from __future__ import annotations

import random

from outreach_tui.sampledata.weighted import Weighted as _Weighted
from outreach_tui.sampledata.weighted import names as _names

# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------


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
