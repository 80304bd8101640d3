/**
 * What a support message says beyond its topic, in English and Korean: danger, legal threats,
 * anger, a request for a person, damage, a refund, a reference to one specific order, a wrong item
 * delivered, a billing error. The answerer never answers a message with a veto signal on its own
 * (see VETO_SIGNALS), and escalation.ts raises the priority for several of them.
 *
 * The patterns run on the normalised text (NFKC, lower case); English ones match whole words,
 * Korean ones anywhere, since Korean attaches endings to words. They are deliberately generous:
 * a false alarm costs an escalation, a miss costs a wrong automatic answer.
 */
import { normalizeText } from './tokenize.ts';

export const SIGNALS = [
  /** Fire, smoke, sparks, electric shock, exposed wires: a person must answer, at once. */
  'safety',
  /** Lawyers, courts, consumer-protection bodies, data-protection requests. */
  'legal',
  /** Strong anger or insults. */
  'anger',
  /** The customer asks for a person, a call, a manager. */
  'human',
  /** Something arrived or became broken, damaged or faulty. */
  'damage',
  /** The customer wants money back. */
  'refund',
  /** The message names one order (o-123, order #10234, 주문번호 10234): its answer depends on that order. */
  'order-reference',
  /** The wrong product, colour or size was delivered. */
  'wrong-item',
  /** Charged twice, or charged the wrong amount. */
  'billing-error',
] as const;
export type Signal = (typeof SIGNALS)[number];

/** Signals that always send a message to a person: an FAQ answer cannot settle them. */
export const VETO_SIGNALS: ReadonlySet<Signal> = new Set(['safety', 'legal', 'anger', 'human', 'order-reference', 'wrong-item', 'billing-error']);

const words = (...alternatives: string[]) => new RegExp(`(?<![a-z])(?:${alternatives.join('|')})(?![a-z])`);
const anywhere = (...alternatives: string[]) => new RegExp(alternatives.join('|'));

const PATTERNS: Readonly<Record<Signal, readonly RegExp[]>> = {
  safety: [
    words(
      'fire',
      'flames?',
      'smok(?:e|es|ed|ing|y)',
      'sparks?',
      'spark(?:ed|ing)',
      'burning smell',
      'smell(?:s|ed)? (?:of )?burn(?:ing|t)?',
      'scorch(?:ed|ing)?',
      'melt(?:s|ed|ing)?',
      'overheat(?:s|ed|ing)?',
      'electric(?:al)? shocks?',
      'shocked me',
      'electrocut\\w*',
      'short[- ]circuit\\w*',
      '(?:exposed|bare|frayed) (?:wires?|cables?)',
      'hazard(?:ous)?',
      'unsafe',
      'dangerous',
    ),
    anywhere(
      '불이 ?(?:났|나|붙)',
      '불붙',
      '불꽃',
      '화재',
      '연기(?:가)? ?(?:나|났|피)',
      '연기 ?냄새',
      '타는 ?냄새',
      '탄 ?냄새',
      '감전',
      '전기가 ?통',
      '찌릿',
      '합선',
      '누전',
      '스파크',
      '녹아',
      '녹았',
      '과열',
      '피복',
      '위험',
    ),
  ],
  legal: [
    words(
      'lawyers?',
      'attorneys?',
      'solicitors?',
      'sue',
      'suing',
      'lawsuit',
      'legal action',
      'legal',
      'court',
      'small claims',
      'consumer protection',
      'trading standards',
      'ombudsman',
      'chargeback',
      'gdpr',
      'data protection',
      'subject access',
      'personal data',
      'police',
    ),
    anywhere(
      '변호사',
      '소송',
      '고소',
      '법적',
      '법원',
      '소비자원',
      '소비자 ?보호',
      '공정위',
      '공정거래',
      '경찰',
      '내용 ?증명',
      '손해 ?배상',
      '개인 ?정보 ?(?:열람|처리|제공)',
      '열람 ?청구',
    ),
  ],
  anger: [
    words(
      'unacceptable',
      'ridiculous',
      'outrageous',
      'disgusting',
      'disgrace(?:ful)?',
      'appalling',
      'terrible',
      'horrible',
      'awful',
      'worst',
      'furious',
      'livid',
      'fed up',
      'scam(?:mers?)?',
      'rip[- ]?off',
      'incompetent',
      'useless',
      'pathetic',
      'joke',
      'never again',
      'wtf',
      'fuck\\w*',
      'shit\\w*',
      'bloody',
      'damn',
    ),
    anywhere(
      '최악',
      '어이(?:가)? ?없',
      '짜증',
      '(?<![가-힣])화(?:가 ?)?나',
      '열받',
      '빡치',
      '황당',
      '장난(?:하|치|해)',
      '기가 ?막',
      '실망',
      '사기(?:꾼|당|치|야|네|잖|예요|에요|입니)',
      '개판',
      '엉망',
      '미치겠',
      '불친절',
      '이런 ?식으로',
    ),
  ],
  human: [
    words(
      'real person',
      'human',
      'someone real',
      '(?:speak|talk) (?:to|with) (?:a |an |the |your )?(?:someone|somebody|person|human|agent|manager|supervisor|representative)',
      '(?:please|pls|can you|could you|someone|somebody|you)(?: to)? (?:call|phone|ring) me',
      '(?:call|phone|ring) me (?:back|today|asap|now|urgently)',
      'manager',
      'supervisor',
      'representative',
    ),
    anywhere(
      '상담원',
      '상담사',
      '담당자',
      '사람(?:이랑|과|하고|한테)',
      '직원(?:이랑|과|하고|분|한테)',
      '책임자',
      '매니저',
      '전화 ?(?:주세요|부탁|해 ?주|좀)',
      '통화(?:하고|를 ?원|하길|할 ?수)',
      '연락 ?(?:주세요|부탁)',
    ),
  ],
  damage: [
    words(
      'damag\\w*',
      'broken',
      'break(?:s)?',
      'broke',
      'crack(?:s|ed)?',
      'dent(?:s|ed)?',
      'torn',
      'tear',
      'ripp?(?:s|ed)?',
      'scratch(?:es|ed)?',
      'smashed',
      'shattered',
      'chipped',
      'defect(?:ive|s)?',
      'faulty',
      'busted',
      'stopped working',
      'not working',
      'doesnt work',
      'wont work',
    ),
    anywhere('파손', '깨[지져졌]', '부서', '망가', '찢어', '찌그러', '금이 ?가', '고장', '불량', '훼손', '흠집', '스크래치', '작동(?:이)? ?안'),
  ],
  refund: [words('refunds?', 'refunded', 'money back', 'reimburs\\w*', 'repay\\w*'), anywhere('환불', '환급', '돈 ?(?:을 )?돌려')],
  'order-reference': [
    /(?<![a-z0-9])o-?\d{3,}(?![0-9])/,
    /#\s?\d{4,}/,
    /(?:order|invoice)\s*(?:number|no\.?|num|nr\.?|#)?\s*[:#]?\s*[a-z]{0,3}-?\d{4,}/,
    /주문\s*번호\s*[:#]?\s*[a-z]{0,3}-?\d{3,}/,
  ],
  'wrong-item': [
    words(
      'wrong (?:item|items|colou?r|size|product|model|one|sofa|chair|lamp|rug|bulb|thing) (?:arrived|came|was delivered)',
      '(?:sent|got|received|delivered|shipped)(?: \\w+){0,3} wrong',
      'not what i ordered',
      'instead of (?:the )?(?:one )?i ordered',
      'ordered \\w+ (?:and|but) (?:got|received)',
    ),
    anywhere(
      '오배송',
      '잘못 ?(?:배송|왔|온)',
      '다른 ?(?:상품|제품|물건|색|색상|사이즈)(?:이|가)? ?왔',
      '주문한 ?(?:거|것|상품)(?:이랑|과|하고|와) ?(?:달라|다른)',
      '주문했는데 ?\\S{1,6}(?:이|가) ?왔',
    ),
  ],
  'billing-error': [
    words(
      'charged (?:me )?twice',
      'double[- ]charged',
      'charged double',
      'two charges',
      'duplicate (?:charge|payment)',
      'charged (?:me )?(?:the )?wrong amount',
      'overcharged',
    ),
    anywhere('(?:두 ?번|이중|중복) ?(?:결제|청구|출금)', '결제(?:가)? ?(?:두 ?번|중복)', '금액이 ?(?:잘못|다르)', '더 ?많이 ?(?:결제|청구)'),
  ],
};

/** Many exclamation marks, or a message shouted in capitals. */
function shouting(raw: string): boolean {
  if (/[!！]{3,}|[?？][!！]{2,}/.test(raw)) return true;
  const capitals = raw.match(/\b[A-Z]{3,}\b/g) ?? [];
  return capitals.filter((word) => !['DHL', 'VAT', 'USB', 'LED', 'GDPR', 'PDF', 'FAQ', 'CEO'].includes(word)).length >= 3;
}

/** The signals found in a message (subject and body together), in the order of SIGNALS. */
export function detectSignals(text: string): Signal[] {
  const normalized = normalizeText(text);
  return SIGNALS.filter((signal) => (signal === 'anger' && shouting(text)) || PATTERNS[signal].some((pattern) => pattern.test(normalized)));
}
