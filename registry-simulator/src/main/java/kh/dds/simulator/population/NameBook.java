package kh.dds.simulator.population;

import java.util.List;

/**
 * The names the synthetic population draws from: Khmer family names with their Khmer spelling and a strong frequency
 * skew (a handful of names — Sok, Chan, Kim, Heng, Ly — are very common), Khmer given names for men and women, and
 * Latin-script names for the foreign residents of the most common nationalities.
 */
public final class NameBook {

    /** A foreign residents' nationality (ISO 3166 alpha-3) with its names. */
    public record Nationality(String code, NameTable family, NameTable male, NameTable female) {
    }

    public static final NameTable KHMER_FAMILY = NameTable.of(
            "SOK", "សុខ", 8.0, "CHAN", "ចាន់", 5.5, "KIM", "គឹម", 4.0, "HENG", "ហេង", 3.5,
            "LY", "លី", 3.5, "CHEA", "ជា", 3.2, "KEO", "កែវ", 3.0, "MEAS", "មាស", 2.6,
            "OUK", "អ៊ុក", 2.3, "SAM", "សំ", 2.2, "PICH", "ពេជ្រ", 2.0, "SENG", "សេង", 2.0,
            "TOUCH", "ទូច", 1.8, "YIM", "យិម", 1.7, "PRAK", "ប្រាក់", 1.7, "MAO", "ម៉ៅ", 1.6,
            "SUN", "ស៊ុន", 1.6, "PHAN", "ផាន់", 1.5, "KHIEV", "ខៀវ", 1.4, "NUON", "នួន", 1.4,
            "CHHIM", "ឈឹម", 1.3, "HEM", "ហែម", 1.3, "LONG", "ឡុង", 1.2, "TEP", "ទេព", 1.2,
            "ROS", "រស់", 1.2, "VONG", "វង្ស", 1.1, "SIN", "ស៊ីន", 1.1, "LIM", "លឹម", 1.0,
            "HUN", "ហ៊ុន", 1.0, "CHHUN", "ឈុន", 1.0, "KONG", "គង់", 1.0, "MEN", "ម៉ែន", 0.9,
            "TAN", "តាន់", 0.8, "SAY", "សាយ", 0.8, "UY", "អ៊ុយ", 0.8, "EM", "អ៊ឹម", 0.8,
            "KHIM", "ឃឹម", 0.7, "CHUM", "ជុំ", 0.7, "HOR", "ហោ", 0.7, "THACH", "ថាច់", 0.6,
            "HUOT", "ហួត", 0.6, "OUM", "អ៊ុំ", 0.6, "SAO", "សៅ", 0.5, "NHEM", "ញ៉ែម", 0.5,
            "SIM", "ស៊ឹម", 0.5, "MOM", "មុំ", 0.5, "HAK", "ហាក់", 0.5, "PEN", "ប៉ែន", 0.4,
            "NGET", "ង៉ែត", 0.4, "CHHAY", "ឆាយ", 0.4);

    public static final NameTable KHMER_MALE = NameTable.of(
            "DARA", "ដារ៉ា", 3.0, "SOKHA", "សុខា", 3.0, "SOVANN", "សុវណ្ណ", 2.5, "VANNA", "វណ្ណា", 2.5,
            "PISETH", "ពិសិដ្ឋ", 2.0, "RITHY", "រិទ្ធី", 2.0, "VISAL", "វិសាល", 2.0, "VUTHY", "វុទ្ធី", 2.0,
            "SAMNANG", "សំណាង", 2.0, "VEASNA", "វាសនា", 1.5, "RAKSMEY", "រស្មី", 1.2, "SOPHAL", "សុផល", 1.5,
            "SAMBATH", "សម្បត្តិ", 1.2, "VICHET", "វិចិត្រ", 1.2, "SOPHEAK", "សុភ័ក្ត្រ", 1.2, "KOSAL", "កុសល", 1.0,
            "VIBOL", "វិបុល", 1.0, "SOTHEA", "សុធា", 1.0, "NARITH", "ណារិទ្ធ", 1.0, "PHIRUN", "ភិរុណ", 1.0,
            "BUNNA", "ប៊ុនណា", 1.0, "ROTHA", "រដ្ឋា", 1.0, "SEYHA", "សីហា", 1.0, "PHEAKDEY", "ភក្តី", 1.0,
            "VIREAK", "វីរៈ", 0.8, "MAKARA", "មករា", 0.8, "CHAMROEUN", "ចំរើន", 0.8, "SOTHY", "សុធី", 0.8,
            "VANNAK", "វណ្ណៈ", 0.8, "BORA", "បូរ៉ា", 0.8, "PANHA", "បញ្ញា", 0.8, "TOLA", "តុលា", 0.8,
            "SOKCHEA", "សុខជា", 0.7, "THEARITH", "ធារិទ្ធ", 0.7, "MONYROTH", "មុនីរ័ត្ន", 0.6, "SARUN", "សារុន", 0.6,
            "KIMHENG", "គឹមហេង", 0.5, "SOPHORN", "សុផន", 0.6);

    public static final NameTable KHMER_FEMALE = NameTable.of(
            "SOPHEA", "សុភា", 3.0, "CHANTHA", "ចន្ថា", 2.5, "BOPHA", "បុប្ផា", 2.5, "SREYMOM", "ស្រីមុំ", 2.0,
            "KANHA", "កញ្ញា", 2.0, "SOCHEATA", "សុជាតា", 2.0, "CHENDA", "ចិន្តា", 2.0, "PHALLA", "ផល្លា", 2.0,
            "NIMOL", "និមល", 1.5, "SOKHA", "សុខា", 1.5, "RAKSMEY", "រស្មី", 1.5, "SREYNEANG", "ស្រីនាង", 1.5,
            "DANY", "ដានី", 1.2, "SOKUNTHEA", "សុគន្ធា", 1.2, "CHANNARY", "ចន្ទនារី", 1.2, "MALY", "ម៉ាលី", 1.2,
            "THIDA", "ធីតា", 1.2, "SOPHEAP", "សុភាព", 1.2, "RACHANA", "រចនា", 1.0, "SREYPOV", "ស្រីពៅ", 1.0,
            "PISEY", "ពិសី", 1.0, "LINA", "លីណា", 1.0, "MEALEA", "មាលា", 1.0, "KOLAB", "កុលាប", 0.8,
            "ROMDUOL", "រំដួល", 0.8, "DAVY", "ដាវី", 0.8, "KUNTHEA", "គន្ធា", 0.8, "CHAKRIYA", "ចក្រិយា", 0.8,
            "LEAKHENA", "លក្ខិណា", 0.8, "SOPHORN", "សុផន", 0.6, "VANNA", "វណ្ណា", 0.6, "SOVANNARY", "សុវណ្ណារី", 0.6,
            "SREYLEAK", "ស្រីល័ក្ខ", 0.6, "MONY", "មុន្នី", 0.6, "NEARY", "នារី", 0.6);

    public static final List<Nationality> FOREIGN = List.of(
            new Nationality("VNM",
                    NameTable.latin(new double[] {38, 11, 9, 7, 5, 5, 4, 2, 2, 2, 2},
                            "NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "HUYNH", "VO", "DANG", "BUI", "DO", "HO"),
                    NameTable.latin(new double[0], "VAN HUNG", "MINH TUAN", "DUC ANH", "QUANG HAI", "VAN THANH",
                            "HOANG NAM"),
                    NameTable.latin(new double[0], "THI HOA", "THI LAN", "NGOC ANH", "THU HUONG", "THI MAI",
                            "THANH HA")),
            new Nationality("CHN",
                    NameTable.latin(new double[] {7, 7, 7, 5, 5}, "WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG",
                            "HUANG", "ZHAO", "WU", "ZHOU"),
                    NameTable.latin(new double[0], "WEI", "JUN", "HAO", "LEI", "JIANGUO", "MING"),
                    NameTable.latin(new double[0], "NA", "FANG", "MIN", "XIUYING", "JING", "YAN")),
            new Nationality("THA",
                    NameTable.latin(new double[0], "SAETANG", "SRISUK", "WONGSAWAT", "BOONMA", "CHAIYAPHUM",
                            "SUKSAWAT"),
                    NameTable.latin(new double[0], "SOMCHAI", "ANAN", "KITTI", "SOMSAK", "PRASERT"),
                    NameTable.latin(new double[0], "SUDA", "MALEE", "NARUMON", "SIRIPORN", "KANYA")),
            new Nationality("KOR",
                    NameTable.latin(new double[] {5, 4, 2}, "KIM", "LEE", "PARK", "CHOI", "JUNG"),
                    NameTable.latin(new double[0], "MINJUN", "JIHO", "SEUNGHYUN"),
                    NameTable.latin(new double[0], "SEOYEON", "JIWOO", "MINJI")),
            new Nationality("LAO",
                    NameTable.latin(new double[0], "PHOMMAVONG", "SOUVANNAPHOUM", "VONGSAY", "KEOMANY"),
                    NameTable.latin(new double[0], "SOMPHONE", "KHAMPHOUI", "BOUNMY"),
                    NameTable.latin(new double[0], "KHAMLA", "MANIVANH", "VIENGKHAM")),
            new Nationality("PHL",
                    NameTable.latin(new double[0], "SANTOS", "REYES", "CRUZ", "BAUTISTA"),
                    NameTable.latin(new double[0], "JOSE", "MARK", "JOHN PAUL"),
                    NameTable.latin(new double[0], "MARIA", "ANGELICA", "KRISTINE")),
            new Nationality("JPN",
                    NameTable.latin(new double[0], "SATO", "SUZUKI", "TAKAHASHI", "TANAKA", "WATANABE"),
                    NameTable.latin(new double[0], "HIROSHI", "TAKESHI", "KENJI"),
                    NameTable.latin(new double[0], "YUKI", "AYAKA", "HARUKA")),
            new Nationality("FRA",
                    NameTable.latin(new double[0], "MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT"),
                    NameTable.latin(new double[0], "PIERRE", "NICOLAS", "JULIEN"),
                    NameTable.latin(new double[0], "CLAIRE", "SOPHIE", "CAMILLE")),
            new Nationality("USA",
                    NameTable.latin(new double[0], "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES"),
                    NameTable.latin(new double[0], "JOHN", "MICHAEL", "DAVID"),
                    NameTable.latin(new double[0], "MARY", "JENNIFER", "SARAH")));

    /** Shares of the foreign residents' nationalities, in the order of {@link #FOREIGN}. */
    public static final WeightedChoice FOREIGN_NATIONALITY = new WeightedChoice(45, 25, 10, 5, 4, 3, 3, 3, 2);

    private NameBook() {
    }
}
