// Name keys and full-name parsing: spellings of one name that must agree, and names that must
// stay apart.

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <thread>
#include <vector>

#include "recount/linkage/lexicon.hpp"
#include "recount/linkage/names.hpp"

namespace recount::linkage {
namespace {

using KeyFn = std::string (*)(std::string_view);

void expect_same(KeyFn key, std::initializer_list<std::string_view> forms) {
  const std::string first = key(*forms.begin());
  EXPECT_FALSE(first.empty()) << *forms.begin();
  for (std::string_view form : forms)
    EXPECT_EQ(key(form), first) << form << " vs " << *forms.begin();
}

TEST(SurnameKey, RomanisationsAndGenderAgree) {
  expect_same(surname_key, {"Фёдоров", "Федоров", "Fedorov", "Fyodorov", "Fiodorov", "FEDOROVA",
                            "Фёдорова", "Fjodorov", "Fëdorov"});
  expect_same(surname_key, {"Хабибуллин", "Khabibullin", "Habibullin", "Xабибуллина"});
  expect_same(surname_key, {"Зайцев", "Zaytsev", "Zaitsev", "Zajcev", "Zaitzev", "Зайцева"});
  expect_same(surname_key, {"Достоевский", "Dostoevsky", "Dostoyevskiy", "Dostoevskii",
                            "Dostoevskij", "Достоевская", "Dostoevskaya", "Dostoevskaia"});
  expect_same(surname_key, {"Щукин", "Shchukin", "Schukin", "Shukin"});
  expect_same(surname_key, {"Чайковский", "Tchaikovsky", "Chaikovskiy", "Čajkovskij"});
  expect_same(surname_key, {"Васильев", "Vasilyev", "Vasiliev", "Vasil'ev", "Васильева"});
  expect_same(surname_key, {"Трубецкой", "Trubetskoy", "Трубецкая", "Trubetskaya"});
  expect_same(surname_key, {"Жуков", "Zhukov", "Žukov", "Zhukova"});
  expect_same(surname_key, {"Ильин", "Ilyin", "Il'in", "Ilin", "Ильина"});
  expect_same(surname_key, {"Максимов", "Maksimov", "Maximov"});
  expect_same(surname_key, {"Иванов", "Иванова", "IVANOV", "Iwanow"});
  expect_same(surname_key, {"Петров-Водкин", "Petrov-Vodkin", "ПЕТРОВ-ВОДКИН"});
  expect_same(surname_key, {"Гончаренко", "Honcharenko", "Goncharenko"});
  expect_same(surname_key, {"Смирнов", "Smirnoff", "Smirnow"});
  expect_same(surname_key, {"Шевчук", "Szewczuk", "Shevchuk", "Ševčuk"});
  expect_same(surname_key, {"Ёлкин", "ЁЛКИН", "Yolkin", "Jolkin", "Elkin"});
  expect_same(surname_key, {"Мар'янов", "Марʼянов", "Maryanov"});
}

TEST(SurnameKey, DifferentSurnamesStayApart) {
  EXPECT_NE(surname_key("Иванов"), surname_key("Ивашов"));
  EXPECT_NE(surname_key("Петров"), surname_key("Петрик"));
  EXPECT_NE(surname_key("Смирнов"), surname_key("Смирин"));
  EXPECT_NE(surname_key("Кузнецов"), surname_key("Кузьмин"));
  EXPECT_NE(surname_key("Орлов"), surname_key("Козлов"));
}

TEST(GivenKey, FormsOfOneNameAgree) {
  expect_same(given_key, {"Сергей", "Sergey", "Sergei", "Serhiy", "Сергій", "Серёжа", "Serezha",
                          "Серёга", "SERGEY", "Sergej", "Сяргей"});
  expect_same(given_key, {"Александр", "Oleksandr", "Alexander", "Aleksandr", "Sasha", "Саша",
                          "Шура", "Олександр", "Alexandr"});
  expect_same(given_key, {"Николай", "Nikolai", "Nikolay", "Mykola", "Микола", "Коля", "Kolya"});
  expect_same(given_key, {"Владимир", "Volodymyr", "Вова", "Володя", "Vladimir", "Wladimir"});
  expect_same(given_key, {"Андрей", "Andrei", "Andrey", "Andriy", "Андрій", "Андрюша"});
  expect_same(given_key, {"Дмитрий", "Dmitry", "Dmitriy", "Dmitrii", "Dmytro", "Дима", "Митя"});
  expect_same(given_key, {"Юрий", "Yuri", "Yuriy", "Yury", "Iurii", "Юра", "Jurij"});
  expect_same(given_key, {"Алексей", "Oleksiy", "Aleksei", "Alexey", "Лёша", "Алёша", "Леша"});
  expect_same(given_key, {"Игорь", "Ihor", "Igor", "Ігор"});
  expect_same(given_key, {"Василий", "Vasyl", "Vasily", "Vasiliy", "Вася", "Василь"});
  expect_same(given_key, {"Михаил", "Mykhailo", "Mikhail", "Mihail", "Миша", "Михайло"});
  expect_same(given_key, {"Павел", "Pavlo", "Pavel", "Паша"});
  expect_same(given_key, {"Пётр", "Petro", "Pyotr", "Petr", "Петя", "Piotr"});
  expect_same(given_key, {"Евгений", "Yevgeniy", "Evgeny", "Женя", "Yevhen", "Євген"});
  expect_same(given_key, {"Константин", "Костя", "Konstantin", "Kostiantyn"});
  expect_same(given_key, {"Вячеслав", "Слава", "Vyacheslav", "В'ячеслав"});
  expect_same(given_key, {"Анатолий", "Толя", "Anatoliy"});
  expect_same(given_key, {"Геннадий", "Гена", "Gennady", "Hennadiy"});
  expect_same(given_key, {"Виктор", "Витя", "Viktor", "Victor"});
  expect_same(given_key, {"Иван", "Ваня", "Ivan", "Іван"});
  expect_same(given_key, {"Семён", "Semyon", "Semen", "Сёма"});
  expect_same(given_key, {"Артём", "Artyom", "Artem", "Artiom"});
  expect_same(given_key, {"Мария", "Maria", "Mariya", "Маша", "Марія"});
}

TEST(GivenKey, DifferentNamesStayApart) {
  EXPECT_NE(given_key("Александр"), given_key("Алексей"));
  EXPECT_NE(given_key("Евгений"), given_key("Евгения"));
  EXPECT_NE(given_key("Владимир"), given_key("Владислав"));
  EXPECT_NE(given_key("Юрий"), given_key("Юлий"));
  EXPECT_NE(given_key("Иван"), given_key("Ян"));
  EXPECT_EQ(given_key("Zinnatulla"), name_key("Zinnatulla"));  // unknown: the plain key
}

TEST(GivenLexicon, EveryFullNameKeepsItsOwnKeyAndTheLexiconIsLarge) {
  std::size_t male = 0;
  for (const auto& entry : given_name_lexicon()) {
    EXPECT_EQ(given_key(entry.name), name_key(entry.name)) << entry.name;
    if (!entry.female) ++male;
  }
  EXPECT_GE(male, 150U);
}

TEST(PatronymicKey, SonsAndDaughtersAndUkrainianFormsAgree) {
  expect_same(patronymic_key, {"Сергеевич", "Sergeyevich", "Sergeevich", "Serhiyovych", "Сергеевна",
                               "Sergeevna", "Сергіївна"});
  expect_same(patronymic_key, {"Александрович", "Aleksandrovich", "Олександрович", "Oleksandrovych",
                               "Александровна"});
  expect_same(patronymic_key, {"Николаевич", "Nikolaevich", "Миколайович", "Николаевна"});
  expect_same(patronymic_key, {"Ильич", "Ильинична", "Ilyich"});
  expect_same(patronymic_key, {"Алексеевич", "Alekseevich", "Алексеевна", "Oleksiyovych"});
  expect_same(patronymic_key, {"Дмитриевич", "Dmitrievich", "Dmytrovych"});
  expect_same(patronymic_key, {"Владимирович", "Volodymyrovych", "Володимирович"});
  EXPECT_NE(patronymic_key("Алексеевич"), patronymic_key("Александрович"));
  EXPECT_NE(patronymic_key("Петрович"), patronymic_key("Павлович"));
}

TEST(NameKey, IsAsciiLowercaseAndEmptyWithoutLetters) {
  for (std::string_view s : {"Фёдоров", "ḞEDOROV", "Ǆukić", "محمد", "王小明", "Ölçer"}) {
    for (char c : name_key(s))
      EXPECT_TRUE(c >= 'a' && c <= 'z') << s;
    EXPECT_FALSE(name_key(s).empty()) << s;
  }
  EXPECT_EQ(name_key(""), "");
  EXPECT_EQ(name_key(" 123 -- "), "");
  EXPECT_EQ(latin("Фёдоров  Сергей"), "fedorov sergey");
}

TEST(TextKey, FoldsScriptAndCaseButKeepsDigits) {
  EXPECT_EQ(text_key("AB-123 456"), "ab 123 456");
  EXPECT_EQ(text_key("ab 123  456"), text_key("AB-123 456"));
  EXPECT_EQ(text_key("4510"), "4510");  // a name key would be empty
  EXPECT_EQ(name_key("4510"), "");
  EXPECT_EQ(text_key("Улица Ленина, 5"), text_key("ULITSA LENINA 5"));
  EXPECT_NE(text_key("7535316"), text_key("7535317"));
  EXPECT_EQ(text_key("***"), "");
}

// Whether one of the French or German readings of `latin_name` has the key of `cyrillic`.
bool some_reading_agrees(std::string_view latin_name, std::string_view cyrillic, KeyFn key) {
  for (const std::string& reading : foreign_readings(latin_name))
    if (key(reading) == key(cyrillic)) return true;
  return false;
}

TEST(ForeignReadings, FrenchAndGermanSpellingsHaveAReadingWithTheCyrillicKey) {
  // French: ou, tch, ch = ш, j = ж, gu before e/i, -off, -ine.
  EXPECT_NE(surname_key("Kouznetsoff"), surname_key("Кузнецов"));
  EXPECT_TRUE(some_reading_agrees("Kouznetsoff", "Кузнецов", surname_key));
  EXPECT_TRUE(some_reading_agrees("Chevtchenko", "Шевченко", surname_key));
  EXPECT_TRUE(some_reading_agrees("Joukov", "Жуков", surname_key));
  EXPECT_TRUE(some_reading_agrees("Iouri", "Юрий", given_key));
  EXPECT_TRUE(some_reading_agrees("Evgueni", "Евгений", given_key));
  EXPECT_TRUE(some_reading_agrees("Raspoutine", "Распутин", surname_key));
  // German: w, sch (ш or ж), tsch, ch = х, z = ц, s = з.
  EXPECT_NE(surname_key("Kusnezow"), surname_key("Кузнецов"));
  EXPECT_TRUE(some_reading_agrees("Kusnezow", "Кузнецов", surname_key));
  EXPECT_TRUE(some_reading_agrees("Sacharow", "Захаров", surname_key));
  EXPECT_TRUE(some_reading_agrees("Schukow", "Жуков", surname_key));
  EXPECT_TRUE(some_reading_agrees("Michail", "Михаил", given_key));
  EXPECT_TRUE(some_reading_agrees("Tschaikowski", "Чайковский", surname_key));
  // Cyrillic has one reading; a name without Latin letters none.
  EXPECT_TRUE(foreign_readings("Кузнецов").empty());
  EXPECT_TRUE(foreign_readings("123").empty());
  EXPECT_LE(foreign_readings("Sssassasasosusis").size(), 32u);
  EXPECT_TRUE(written_in_cyrillic("Ivanoв"));
  EXPECT_FALSE(written_in_cyrillic("Žukov"));
  EXPECT_TRUE(known_given_key(given_key("Михаил")));
  EXPECT_FALSE(known_given_key("zzqx"));
}

TEST(FullName, GivenNamesInFrenchOrGermanSpellingComeFirstWhenWrittenFirst) {
  const PersonName french = parse_full_name("Iouri Kouznetsoff");
  EXPECT_EQ(french.surname, "Kouznetsoff");
  EXPECT_EQ(french.given, "Iouri");
  const PersonName german = parse_full_name("Michail Sacharow");
  EXPECT_EQ(german.surname, "Sacharow");
  EXPECT_EQ(german.given, "Michail");
}

TEST(NameKey, InvalidUtf8IsReplacedNotFatal) {
  const std::string bad = std::string("Fed\xff\xfe") + "orov\xc3";
  EXPECT_EQ(surname_key(bad), "fedorov");
  (void)parse_full_name(bad);
}

TEST(NameKey, SameResultsFromManyThreads) {
  const std::vector<std::string> names{"Фёдоров",     "Хабибуллин", "Сергій",
                                       "Достоевская", "Oleksandr",  "Щукин"};
  std::vector<std::string> expected;
  for (const auto& n : names)
    expected.push_back(surname_key(n) + given_key(n));
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round)
        for (std::size_t i = 0; i < names.size(); ++i)
          if (surname_key(names[i]) + given_key(names[i]) != expected[i]) ++failures[t];
    });
  }
  for (auto& th : threads)
    th.join();
  for (int f : failures)
    EXPECT_EQ(f, 0);
}

struct ParseCase {
  std::string_view full, surname, given, patronymic;
};

TEST(ParseFullName, FindsTheOrder) {
  const std::vector<ParseCase> cases{
      {"Фёдоров Сергей Павлович", "Фёдоров", "Сергей", "Павлович"},
      {"Сергей Павлович Фёдоров", "Фёдоров", "Сергей", "Павлович"},
      {"Sergey Pavlovich FEDOROV", "FEDOROV", "Sergey", "Pavlovich"},
      {"FEDOROV Sergey", "FEDOROV", "Sergey", ""},
      {"Sergey FEDOROV", "FEDOROV", "Sergey", ""},
      {"Sergey Fedorov", "Fedorov", "Sergey", ""},
      {"Fedorov Sergey", "Fedorov", "Sergey", ""},
      {"Федоров С.П.", "Федоров", "С", "П"},
      {"Федоров С. П.", "Федоров", "С", "П"},
      {"С.П. Федоров", "Федоров", "С", "П"},
      {"  Фёдоров    Сергей   Павлович ", "Фёдоров", "Сергей", "Павлович"},
      {"FEDOROV, Sergey Pavlovich", "FEDOROV", "Sergey", "Pavlovich"},
      {"Фёдоров, Сергей", "Фёдоров", "Сергей", ""},
      {"Петров-Водкин Кузьма Сергеевич", "Петров-Водкин", "Кузьма", "Сергеевич"},
      {"Иванова Мария Ивановна", "Иванова", "Мария", "Ивановна"},
      {"Мария Ивановна", "", "Мария", "Ивановна"},
      {"Andriy Lukashevich", "Lukashevich", "Andriy", ""},
      {"Lukashevich Andriy", "Lukashevich", "Andriy", ""},
      {"Andrey Ivanovich Lukashevich", "Lukashevich", "Andrey", "Ivanovich"},
      {"Лукашевич Андрей Иванович", "Лукашевич", "Андрей", "Иванович"},
      {"Фёдоров", "Фёдоров", "", ""},
      {"Сергей", "", "Сергей", ""},
      {"Мамедов Рашид Ахмед оглы", "Мамедов", "Рашид", "Ахмед оглы"},
      {"Serhiy Oleksandrovych Kovalenko", "Kovalenko", "Serhiy", "Oleksandrovych"},
      {"Kovalenko Serhiy Oleksandrovych", "Kovalenko", "Serhiy", "Oleksandrovych"},
      {"Иванова (Петрова) Анна Сергеевна", "Иванова", "Анна", "Сергеевна"},
      {"Ким Роман", "Ким", "Роман", ""},
      {"ФЕДОРОВ СЕРГЕЙ ПАВЛОВИЧ", "ФЕДОРОВ", "СЕРГЕЙ", "ПАВЛОВИЧ"},
      {"SERGEY PAVLOVICH FEDOROV", "FEDOROV", "SERGEY", "PAVLOVICH"},
      {"SERGEY FEDOROV", "FEDOROV", "SERGEY", ""},
      {"S. Fedorov", "Fedorov", "S", ""},
      {"Фёдоров Сергей Павл.", "Фёдоров", "Сергей", "Павл"},
      {"Фёдоров Сергей Павлович (1985 г.р.)", "Фёдоров", "Сергей", "Павлович"},
      {"Ахмедов Бахтиёр", "Ахмедов", "Бахтиёр", ""},
      {"Бахтиёр Ахмедов", "Ахмедов", "Бахтиёр", ""},
      {"", "", "", ""},
  };
  for (const auto& c : cases) {
    const PersonName n = parse_full_name(c.full);
    EXPECT_EQ(n.surname, c.surname) << c.full;
    EXPECT_EQ(n.given, c.given) << c.full;
    EXPECT_EQ(n.patronymic, c.patronymic) << c.full;
  }
}

}  // namespace
}  // namespace recount::linkage
