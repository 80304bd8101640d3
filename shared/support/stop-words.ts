/**
 * Words that carry no topic: function words, greetings and politeness, in English and Korean.
 * The tokenizer drops them from both the knowledge base and the customer's message, so that "Hi,
 * hope you're well, quick question:" does not dilute how much of a message an answer covers.
 * Question words that carry intent are kept: "when" and "long" (how long) ask for a time, like
 * 언제 and 얼마나; 어디 asks where a parcel is.
 */

export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again all already also am an and any anyone anything are as at be because been before being
  below between both but by can cannot could did do does doing done dont during each either else even ever every
  few for from further get gets getting got had has have having he her here hers him his how however i id if im in
  into is it its itself ive just let lets like me might mine more most much must my myself need needs no nor not now
  of off often on once only or other our ours out over own per please pls plz quite rather really same she should so
  some someone something still such than that thats the their them then there these they thing things this those
  though through thus to too under until up upon us very via want wanted wants was we well were what whats
  whenever where wheres whether which while who whom whose why will with within without would yet you your yours
  hi hello hey hiya dear sir madam team thanks thank thx ty regards best kind kindly cheers hope hoping wondering
  wonder question questions quick quickly know tell help ok okay yes yeah oh also lot lots able sure maybe anyway
  actually today tomorrow yesterday morning afternoon evening night week weeks day days last ago since recently
  good many manage managed write writing wrote ask asking asked possible possibly whether`.split(/\s+/),
);

/** Whole Korean words (runs of Hangul between spaces or punctuation) that carry no topic. */
export const KOREAN_STOP_WORDS: ReadonlySet<string> = new Set(
  `안녕하세요 안녕하십니까 안녕 감사합니다 감사해요 감사 고맙습니다 고마워요 수고하세요 수고하십니다 부탁드립니다 부탁드려요
  부탁합니다 문의드립니다 문의드려요 여쭤봅니다 궁금합니다 궁금해요 궁금한데요 궁금 혹시 그리고 그런데 근데 그래서 그럼
  저는 제가 저희 저희는 우리 너무 정말 진짜 지금 좀 다시 어떻게 어떡하죠 어떡해요 어떡 어떻 어떤 무슨 뭐 뭔가 왜 그냥
  이거 그거 저거 이것 그것 여기 거기 에서 에게 으로 까지 부터 처럼 보다 이랑 하고 해서 하는 하면 해야 있는 있나요 있어요
  있을까요 있습니다 없나요 되나요 될까요 하나요 할까요 가능 가능한가요 가능할까요 가능해요 요 네 아니 아니요 저기요 저기 싶어 싶어요 싶은데 싶은데요 싶습니다
  싶어서 돼요 되요 됨 해요 하죠 해주 주세요 알려 알려주 알려주세요 알려줘 알려주실 어요 하는데 있는데 같은데 같아요 그런가요`.split(/\s+/),
);

/** Single Hangul syllables left after stripping that are particles or endings, not words. */
export const KOREAN_STOP_SYLLABLES: ReadonlySet<string> = new Set(
  `이 가 을 를 은 는 에 의 도 만 로 와 과 랑 요 수 것 거 좀 제 저 더 또 네 왜 뭐 게 걸 건 데 안 못 잘 꼭 다 한 할 될 된 되 해
  하 했 함 됨 임 음 고 지 죠 나 듯 등 및 분 았 었 였 줄 때 좀 그 이 저 내 제 난 넌 뭘 왜 예 응 어 아 야`.split(/\s+/),
);

/**
 * Endings and particles stripped from the end of a Korean word, longest first: the stem stays
 * (배송이 → 배송, 도착하나요 → 도착, 환불받을 → 환불받).
 */
export const KOREAN_ENDINGS: readonly string[] = `해주세요 하는데요 습니까 이에요 인가요 한가요 는가요 건가요 될까요 할까요 을까요 일까요 하나요 되나요
  됐나요 했어요 었어요 았어요 였어요 됐어요 하세요 주세요 드려요 합니다 습니다 입니다 됩니다 는데요 하는데 까요 나요 가요
  해요 어요 아요 여요 예요 에요 세요 니다 돼요 되요 하고 는데 은데 인데 던데 는지 은지 하면 으면 되면 해서 어서 아서 네요
  군요 지요 죠 요 다`
  .split(/\s+/)
  .sort((a, b) => b.length - a.length);

export const KOREAN_PARTICLES: readonly string[] = `에서 에게 으로 이랑 까지 부터 처럼 보다 이 가 을 를 은 는 에 께 의 도 만 로 와 과 랑`
  .split(/\s+/)
  .sort((a, b) => b.length - a.length);
