"""The name tables of the sample data: given names, family names and titles by tradition.

Kept apart from the code that combines them (names.py) so each reads on its own.
"""

from __future__ import annotations

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
