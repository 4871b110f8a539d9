/**
 * Common Arabic and Persian name words, in the script as lists print them, with their usual Latin
 * spellings, most frequent in English-language sanctions lists first. Arabic script writes no short
 * vowels, so a letter-by-letter transliteration of "حسين" gives "hsyn", which matches neither
 * "Husayn" nor "Hussein"; this table supplies the vowels for the words that make up most names.
 *
 * Sources: the first spelling follows the ALA-LC Arabic and Persian romanization tables (Library of
 * Congress, 2012) without diacritics, which is close to the UN Security Council and OFAC house style
 * (Husayn, Abd al-Rahman); the others are the common English, French and Persian spellings
 * (Hussein, Abdel Rahman, Hossein) described in the BGN/PCGN romanization system for Arabic (1956)
 * and for Persian (1958) and in the US State Department's guide to Arabic name forms.
 * Keys are matched after letter folding (أ إ آ → ا, ى ی → ي, ة → ه, ک → ك), so one entry covers
 * the Arabic and the Persian keyboard forms of a word.
 *
 * Format: one word a line, the script form, then Latin spellings separated by spaces.
 */
export const ARABIC_NAME_WORDS = `
محمد muhammad mohammed mohamed mohammad mohamad
احمد ahmad ahmed
محمود mahmud mahmoud mahmood
حامد hamid hamed
حميد hamid hameed
حمد hamad hamed
حمدي hamdi hamdy
حمدان hamdan
حمادي hammadi
علي ali aly
عمر umar omar
عثمان uthman othman osman usman
عمار ammar
عامر amir amer
امير amir emir
حسن hasan hassan
حسين husayn hussein hussain hossein husain
حسان hassan hasan
حسني husni hosni
حسنين hassanein
صدام saddam
خالد khalid khaled
خليل khalil
خليفة khalifa
ابراهيم ibrahim ebrahim
اسماعيل ismail ismael esmail
اسحاق ishaq ishak
يعقوب yaqub yacoub
يوسف yusuf yousef yousif youssef
يونس yunus younis younes
موسى musa mousa moussa
عيسى isa issa eisa
يحيى yahya yehia
زكريا zakariya zakaria
سليمان sulayman suleiman soleiman sulaiman
سليم salim selim
سالم salim salem
سلمان salman
سلامة salama salameh
مصطفى mustafa mostafa moustafa
مرتضى murtada morteza murtaza
رضا rida reza
مهدي mahdi mehdi
جواد jawad javad
جعفر jafar jaafar
صادق sadiq sadegh sadeq
كاظم kazim kazem kadhim
هادي hadi
عباس abbas
قاسم qasim qasem kassem ghasem
جاسم jasim jassim
هاشم hashim hashem
طارق tariq tarek tareq
طاهر tahir taher
ظاهر zahir zaher
ناصر nasir nasser naser
نصر nasr
منصور mansur mansour
منير munir mounir
نبيل nabil
نادر nadir nader
نور nur nour noor
نوري nuri nouri
نعمان numan noman
نعيم naim
رحمن rahman
رحيم rahim raheem
كريم karim kareem
عزيز aziz
عزت izzat ezzat
جبار jabbar
ستار sattar
غفار ghaffar
قادر qadir kader qader
رزاق razzaq razak
رؤوف rauf raouf
لطيف latif
مجيد majid
وهاب wahhab
واحد wahid
باسط basit
سلام salam
حكيم hakim
حليم halim
جليل jalil
جمال jamal
كمال kamal
فيصل faisal faysal
فهد fahd fahad
سعد saad sad
سعيد said saeed saied
سعود saud
سيف sayf saif
فاروق faruq farouk
فراس firas
فؤاد fuad fouad
فايز fayez faiz
فتحي fathi fathy
فرج faraj
فضل fadl fazl
فاضل fadil fadel fazel
مازن mazin mazen
ماهر mahir maher
مالك malik malek
مراد murad mourad
مروان marwan
مشعل mishal
منذر mundhir monzer
مؤيد muayyad
نايف nayef naif
هشام hisham hesham
هيثم haytham haitham
وليد walid waleed
وائل wail wael
ياسر yasir yasser yaser
ياسين yasin yassin yacine
يزيد yazid
زياد ziyad ziad
زيد zayd zaid
زين zayn zain
زهير zuhayr zuhair zouheir
سامي sami samy
سمير samir
سامر samer
شريف sharif cherif
شاكر shakir shaker
صالح salih saleh
صلاح salah
صابر sabir saber
عادل adil adel
عاطف atif atef
عبد abd
عبدالله abdullah abdallah
الله allah
عبيد ubayd obaid
عدنان adnan
عصام isam essam issam
عماد imad emad
عوض awad
عيد eid
غازي ghazi
غسان ghassan
قصي qusay qusai
لؤي luay louay
ماجد majid majed
مجدي majdi magdy
محسن muhsin mohsen
مصعب musab
معاذ muadh moaz
معتز mutaz moataz
مهند muhannad
نزار nizar
نضال nidal
نواف nawaf
هاني hani
هلال hilal
وسام wisam wissam
ثامر thamir thamer
ثروت tharwat sarwat
بكر bakr bakar
ابوبكر abubakar abubakr
بشار bashar
بشير bashir
برزان barzan
بلال bilal
بدر badr
بسام bassam
اسامة usama osama
انس anas
انور anwar
ايمن ayman
اياد iyad eyad
اكرم akram
اشرف ashraf
امين amin
اديب adib
اسعد asad
ادريس idris
الياس ilyas elias
احسان ihsan ehsan
توفيق tawfiq tawfik
تامر tamer
تركي turki
جلال jalal
جميل jamil
جهاد jihad
حاتم hatim hatem
حارث harith
حافظ hafiz hafez
حازم hazim hazem
حبيب habib
حمزة hamza
حيدر haydar haider
خضر khidr khader
خميس khamis
رائد raid raed
رامي rami
رشيد rashid rachid
راشد rashid rashed
رياض riyad riad
رمضان ramadan ramazan
رفعت rifat refaat
زكي zaki
سعدون sadun saadoun
سلطان sultan
سهيل suhayl suhail
شوقي shawqi
صبري sabri
صفوت safwat
ضياء diya ziya
طلال talal
طه taha
عاصم asim
عبود abbud
عدي uday odai
عزام azzam
علاء ala alaa
غالب ghalib
فارس faris fares
فاطمة fatima fatemeh
عائشة aisha
خديجة khadija
زينب zaynab zeinab
مريم maryam mariam
سجى saja
رغد raghad
رنا rana
هالة hala
هدى huda
ليلى layla leila
سارة sara
امنة amina
امينة amina
منى muna mona
سعاد suad
حنان hanan
ايمان iman
رشا rasha
وفاء wafa
نادية nadia
امل amal
بن bin ben
ابن ibn
بنت bint
ابو abu abou
ام umm
ولد ould
ابي abi
حاج hajj haj
حاجي haji hajji
شيخ shaykh sheikh
سيد sayyid sayed
ملا mulla mullah
امام imam
تكريتي tikriti
مصري masri
عراقي iraqi
سوري suri
يمني yamani
ليبي libi
تونسي tunisi
جزائري jazairi
مغربي maghribi
اردني urduni
فلسطيني filastini
بغدادي baghdadi
كويتي kuwaiti
سعودي saudi
قطري qatari
هاشمي hashimi hashemi
قرشي qurashi
انصاري ansari
شامي shami
حلبي halabi
حجازي hijazi hejazi
عتيبي utaybi otaibi
حربي harbi
شمري shammari
دوسري dosari
قحطاني qahtani
غامدي ghamdi
زهراني zahrani
عمري umari omari
جبوري juburi jubouri
دليمي dulaymi dulaimi
راوي rawi
عاني ani
عبيدي ubaydi obaidi
عزاوي azzawi
دوري duri douri
سامرائي samarrai
جنابي janabi
خفاجي khafaji
موسوي musawi mousavi
حسيني husayni hosseini husseini
حكيم hakim
صدر sadr
تميمي tamimi
مطيري mutayri mutairi
شهري shahri
عسيري asiri
مالكي maliki
ظواهري zawahiri
عولقي awlaki
زرقاوي zarqawi
بنا banna
شيباني shaybani
قباني qabbani
اسد asad assad
مخلوف makhluf makhlouf
شاليش shalish
حداد haddad
نجار najjar
خياط khayyat
عطار attar
صباغ sabbagh
قدور qaddur qaddour
جمعة juma jumaa
سبعاوي sabawi
وطبان watban
عزيزي azizi
امحمد amhamed
فيتوري fituri
حمزاوي hamzawi
قاضي qadi
منصوري mansuri mansouri
مرزوق marzuq marzouk
مبارك mubarak
مسعود masud masoud
محفوظ mahfuz mahfouz
مختار mukhtar
مرعي mari
معروف maruf
نجيب najib
نصير nasir
نعمة nima
هلالي hilali
يسري yusri yousri
بلقاسم belkacem belgacem
عبدالقادر abdelkader
عبدالرحمن abdulrahman abdelrahman
عبدالعزيز abdulaziz abdelaziz
عبدالكريم abdulkarim abdelkarim
عبدالحميد abdulhamid abdelhamid
حسین hossein husayn
حسینی hosseini husayni
رضایی rezaei
محمدی mohammadi muhammadi
احمدی ahmadi
قاسمی qasemi ghasemi
سلیمانی soleimani sulaymani
جعفری jafari
کریمی karimi
کرمی karami
رحیمی rahimi
باقری bagheri baqeri
سلامی salami
حاجی‌زاده hajizadeh
وحیدی vahidi
جلیلی jalili
لاریجانی larijani
رئیسی raisi
قالیباف ghalibaf
نقدی naqdi
افشار afshar
تهرانی tehrani
شیرازی shirazi
اصفهانی esfahani isfahani
کرمانی kermani
مشهدی mashhadi
تبریزی tabrizi
یزدی yazdi
زارعی zarei
اکبری akbari
امیری amiri
حیدری heidari haydari
رستمی rostami
صادقی sadeghi sadeqi
عباسی abbasi
نجفی najafi
کاظمی kazemi
یوسفی yousefi
طاهری taheri
صالحی salehi
حسنی hassani
شریفی sharifi
نصیری nasiri
جلالی jalali
دهقان dehghan
فرهادی farhadi
خامنه‌ای khamenei
روحانی rouhani
ظریف zarif
شمخانی shamkhani
اکبر akbar
اصغر asghar
باقر bagher baqer
تقی taghi taqi
نقی naghi naqi
علیرضا alireza
محمدرضا mohammadreza
غلامرضا gholamreza
غلام gholam ghulam
الهام elham ilham
الناز elnaz
الهه elaheh elahe
روح‌الله ruhollah
نصرالله nasrallah
حجت hojjat
داود davoud dawud
بهروز behrouz
بهرام bahram
فرهاد farhad
فرزاد farzad
کاوه kaveh
کامران kamran
شهرام shahram
پرویز parviz
جمشید jamshid
خسرو khosrow
داریوش dariush
رستم rostam
سیاوش siavash
منوچهر manouchehr
هوشنگ houshang
ایرج iraj
مجتبی mojtaba mujtaba
امید omid
وحید vahid
سعید saeed said
مسعود masoud
حمیدرضا hamidreza
سید seyed sayyid
پور pour
زاده zadeh
نژاد nejad nezhad
قلی qoli gholi
آبادی abadi
اسدی asadi
شمس shams
نوروزی nowruzi norouzi
فلاح fallah
`;
