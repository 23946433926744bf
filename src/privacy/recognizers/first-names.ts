/**
 * A small gazetteer of given names across the languages Teller's customers write in. It only
 * confirms a capitalised word is a name; it never finds names alone in lower case. Names that are
 * also everyday words (May, Will, Grace, Mark...) are listed in AMBIGUOUS_FIRST_NAMES and need a
 * surname or a trigger phrase to count.
 */

const NAMES = `
aaron abby abdul abigail adam adrian ahmed aisha alan albert alberto alejandro aleksandr alex alexander alexandra
alexis alfie alfred ali alice alicia alina alison alma amanda amber amelia amir amit amy ana anders andrea andreas
andrei andrew andy angela angelo anita ann anna anne annie anthony antoine antonio anu arjun arthur ashley astrid
ava barbara beatriz ben benjamin bernard beth bethany betty beverly bianca blake bob bobby brandon brenda brian
bruno bryan camila carl carla carlos carmen carol caroline carolyn catherine cecilia charles charlie charlotte
chen cheryl chloe chris christian christina christine christopher claire clara claudia colin connor craig
cristina cynthia daisy dan daniel daniela danielle david deborah debra denis dennis derek diana diane diego
dmitri dominic donald donna doris dorothy douglas dylan edward elena eleanor elif elijah elizabeth ella ellen
emil emilia emilie emily emma eric erik erin ethan eva evelyn fatima felix fernando fiona florian francesca
francesco francis frank franz freya fred gabriel gabriela gary george georgia gerald gloria gordon greg gregory
hannah hans harold harper harry harvey hassan heather hector heidi helen helena henrik henry hiroshi holly hugo
ian igor ingrid irene isaac isabel isabella isla ivan jack jackson jacob jake james jamie jan jane janet janice
jasmine jason javier jean jeffrey jennifer jenny jeremy jerry jessica jim jimmy joan joanna joe joel johan johannes
john johnny jonathan jordan jorge jose joseph joshua joyce juan judith judy julia julian julie jurgen justin kai
karen karin karl kate katherine kathleen kathryn katie kayla keith kelly ken kenji kenneth kevin kim kimberly
kyle lars laura lauren leah lena leo leon leonardo liam lily linda lisa logan lorenzo louis louise lucas lucia
lucy luis luka lukas luke madison magnus maria marie marilyn mario marion marta martha martin mary mason matteo
matthew max maria megan mehmet melissa mia michael michelle miguel mikael mike mila milan mohammed muhammad
natalia natalie nathan neil nicholas nicola nicole nikolai noah nora oliver olivia omar oscar owen pablo pamela
paolo patricia patrick paul paula pedro peter philip phillip pierre priya rachel rafael rahul raj ralph ramon
raymond rebecca richard rick rita robert roberto robin roger ronald rosa ruby russell ruth ryan sabrina sally
samantha samuel sandra santiago sara sarah scott sean sebastian sergei sergio shannon sharon shirley simon sofia
sophia sophie stefan stella stephanie stephen steven susan sven tanya teresa terry theo theresa thomas tiffany
timothy tobias tom tommy tony tyler valentina vanessa victor victoria vincent virginia walter wang wei william
willie xavier yasmin yusuf yuki zachary zoe
agnieszka andrzej anja bartosz birgit björn dagmar dorota elin eirik ewa frida gunnar hanna hanne ilse jakub
jens jiri jonas jukka kasper katarzyna kristian krzysztof lene lotte magdalena malgorzata marek marcin mateusz
mette mikkel niels nils ole pekka piotr sanna stig tomasz ulla wojciech zofia ahmad chiara davide elisa
federico giorgia giovanni giulia giuseppe luca marco riccardo simone stefano vincenzo alvaro ines lucia
manuel marcos mercedes nuria raul rocio alessandro beatrice jorgen jurgen sigrid tove ulrike wolfgang
aarav aditya ananya anjali deepak divya kavya krishna lakshmi manoj neha pooja ravi rohan sanjay shreya sunita
vijay akira haruto hina kenta sakura takashi yuto chang hui jun li ling ming xin yan ying zhang
abdullah fatma hamza khalid layla mariam nour omar rania samir tariq yasmin zainab
`;

/** Given names that are also common words; they count only with a surname or a trigger phrase. */
export const AMBIGUOUS_FIRST_NAMES: ReadonlySet<string> = new Set(
  'may june april august will bill mark grace hope faith rose joy pat sue art frank max summer autumn dawn ray rich guy jack chase carol robin sky victor jan lily ruby holly penny angel sunny crystal jade amber'.split(
    ' ',
  ),
);

/** Lower-case given names. */
export const FIRST_NAMES: ReadonlySet<string> = new Set(NAMES.split(/\s+/).filter((name) => name.length > 0));
