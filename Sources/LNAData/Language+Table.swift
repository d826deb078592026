// The one language table of lna. Add a language here and every importer, the identifier and the CLI know it.
extension Language {
    /// Every language lna knows, the paper's ten first (in the NJUNLP README order), then the others of SIB-200,
    /// MGSM and Gurgurov et al., then a few more UDHR languages.
    ///
    /// ```swift
    /// Language.all.prefix(3).map(\.code)  // ["en", "zh", "es"]
    /// ```
    public static let all: [Language] = [
        Language(code: "en", flores: "eng_Latn", englishName: "English", nativeName: "English", scripts: [.latin]),
        Language(code: "zh", flores: "zho_Hans", englishName: "Chinese", nativeName: "中文", scripts: [.han],
                 aliases: ["cmn", "cmn_Hans", "Mandarin", "Chinese (Simplified)", "Simplified Chinese", "zh_CN",
                           "zh_Hans"]),
        Language(code: "es", flores: "spa_Latn", englishName: "Spanish", nativeName: "Español", scripts: [.latin]),
        Language(code: "fr", flores: "fra_Latn", englishName: "French", nativeName: "Français", scripts: [.latin]),
        Language(code: "de", flores: "deu_Latn", englishName: "German", nativeName: "Deutsch", scripts: [.latin]),
        Language(code: "ja", flores: "jpn_Jpan", englishName: "Japanese", nativeName: "日本語",
                 scripts: [.hiragana, .katakana, .han]),
        Language(code: "ru", flores: "rus_Cyrl", englishName: "Russian", nativeName: "Русский", scripts: [.cyrillic]),
        Language(code: "bn", flores: "ben_Beng", englishName: "Bengali", nativeName: "বাংলা", scripts: [.bengali],
                 aliases: ["Bangla"]),
        Language(code: "th", flores: "tha_Thai", englishName: "Thai", nativeName: "ไทย", scripts: [.thai]),
        Language(code: "sw", flores: "swh_Latn", englishName: "Swahili", nativeName: "Kiswahili", scripts: [.latin],
                 aliases: ["swa"]),
        Language(code: "ar", flores: "arb_Arab", englishName: "Arabic", nativeName: "العربية", scripts: [.arabic],
                 aliases: ["ara"]),
        Language(code: "hi", flores: "hin_Deva", englishName: "Hindi", nativeName: "हिन्दी", scripts: [.devanagari]),
        Language(code: "ko", flores: "kor_Hang", englishName: "Korean", nativeName: "한국어", scripts: [.hangul, .han]),
        Language(code: "vi", flores: "vie_Latn", englishName: "Vietnamese", nativeName: "Tiếng Việt",
                 scripts: [.latin]),
        Language(code: "id", flores: "ind_Latn", englishName: "Indonesian", nativeName: "Bahasa Indonesia",
                 scripts: [.latin]),
        Language(code: "te", flores: "tel_Telu", englishName: "Telugu", nativeName: "తెలుగు", scripts: [.telugu]),
        Language(code: "it", flores: "ita_Latn", englishName: "Italian", nativeName: "Italiano", scripts: [.latin]),
        Language(code: "pt", flores: "por_Latn", englishName: "Portuguese", nativeName: "Português",
                 scripts: [.latin]),
        Language(code: "tr", flores: "tur_Latn", englishName: "Turkish", nativeName: "Türkçe", scripts: [.latin]),
        Language(code: "pl", flores: "pol_Latn", englishName: "Polish", nativeName: "Polski", scripts: [.latin]),
        Language(code: "bo", flores: "bod_Tibt", englishName: "Tibetan", nativeName: "བོད་ཡིག", scripts: [.tibetan],
                 aliases: ["Standard Tibetan"]),
        Language(code: "mt", flores: "mlt_Latn", englishName: "Maltese", nativeName: "Malti", scripts: [.latin]),
        Language(code: "af", flores: "afr_Latn", englishName: "Afrikaans", nativeName: "Afrikaans", scripts: [.latin]),
        Language(code: "nl", flores: "nld_Latn", englishName: "Dutch", nativeName: "Nederlands", scripts: [.latin]),
        Language(code: "sv", flores: "swe_Latn", englishName: "Swedish", nativeName: "Svenska", scripts: [.latin]),
        Language(code: "da", flores: "dan_Latn", englishName: "Danish", nativeName: "Dansk", scripts: [.latin]),
        Language(code: "no", flores: "nob_Latn", englishName: "Norwegian", nativeName: "Norsk", scripts: [.latin],
                 aliases: ["nb", "Norwegian Bokmål", "Bokmål", "nor"]),
        Language(code: "uk", flores: "ukr_Cyrl", englishName: "Ukrainian", nativeName: "Українська",
                 scripts: [.cyrillic]),
        Language(code: "cs", flores: "ces_Latn", englishName: "Czech", nativeName: "Čeština", scripts: [.latin]),
        Language(code: "el", flores: "ell_Grek", englishName: "Greek", nativeName: "Ελληνικά", scripts: [.greek]),
        Language(code: "he", flores: "heb_Hebr", englishName: "Hebrew", nativeName: "עברית", scripts: [.hebrew]),
        Language(code: "fa", flores: "pes_Arab", englishName: "Persian", nativeName: "فارسی", scripts: [.arabic],
                 aliases: ["fas", "Farsi"]),
        Language(code: "ur", flores: "urd_Arab", englishName: "Urdu", nativeName: "اردو", scripts: [.arabic]),
        Language(code: "mr", flores: "mar_Deva", englishName: "Marathi", nativeName: "मराठी", scripts: [.devanagari]),
        Language(code: "ta", flores: "tam_Taml", englishName: "Tamil", nativeName: "தமிழ்", scripts: [.tamil]),
        Language(code: "gu", flores: "guj_Gujr", englishName: "Gujarati", nativeName: "ગુજરાતી", scripts: [.gujarati]),
        Language(code: "kn", flores: "kan_Knda", englishName: "Kannada", nativeName: "ಕನ್ನಡ", scripts: [.kannada]),
        Language(code: "ml", flores: "mal_Mlym", englishName: "Malayalam", nativeName: "മലയാളം",
                 scripts: [.malayalam]),
    ]

    /// The ten languages of the NJUNLP paper, in its README order: en zh es fr de ja ru bn th sw.
    public static let paperLanguages: [Language] = codes(["en", "zh", "es", "fr", "de", "ja", "ru", "bn", "th", "sw"])

    /// NJUNLP `config.LANG_MAPPING` order, which is also its mask order: en ru es fr de zh ja bn th sw.
    public static let njunlpOrder: [Language] = codes(["en", "ru", "es", "fr", "de", "zh", "ja", "bn", "th", "sw"])

    /// Tang et al. (RUCAIBox) language order, also its neuron-file order: en zh fr es vi id ja.
    public static let tangOrder: [Language] = codes(["en", "zh", "fr", "es", "vi", "id", "ja"])

    /// Gurgurov et al. language order, also its mask order (21 languages).
    public static let gurgurovOrder: [Language] = codes(["bo", "mt", "it", "es", "de", "ja", "ar", "zh", "af", "nl",
                                                         "fr", "pt", "ru", "ko", "hi", "tr", "pl", "sv", "da", "no",
                                                         "en"])

    /// Table entries for codes known to be in the table (used only for the constant orders above).
    private static func codes(_ codes: [String]) -> [Language] {
        codes.compactMap { code in all.first { $0.code == code } }
    }
}
