/**
 * BERT-style WordPiece tokenizer (basic tokenizer + greedy longest-match-first word pieces).
 * Kept dependency-free so the runtime can use it as is.
 */
export const SPECIAL_TOKENS = { pad: '[PAD]', unk: '[UNK]', cls: '[CLS]', sep: '[SEP]' } as const;

export const TOKENIZER_SPEC = {
  type: 'wordpiece',
  vocabFile: 'vocab.txt',
  vocabFormat: 'one token per line, UTF-8, line n (0-based) is token id n',
  lowercase: true,
  stripAccents: true,
  normalisation: 'drop control characters (keep \\t \\n \\r as whitespace), lowercase, NFD and drop combining marks',
  splitOnWhitespace: true,
  splitOnPunctuation: 'every ASCII punctuation character (!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~) and every Unicode P* character is its own token',
  continuingSubwordPrefix: '##',
  maxInputCharsPerWord: 100,
  wordPiece: 'greedy longest-match-first; a word with any unmatched remainder becomes a single [UNK]',
  maxLength: 32,
  template: '[CLS] pieces [SEP], then [PAD] up to maxLength',
  truncation: 'keep the first maxLength - 2 pieces',
  attentionMask: '1 for [CLS], pieces and [SEP]; 0 for [PAD]',
  absentText: 'input_ids all [PAD] (0), attention_mask all 0, modality_mask text column 0',
} as const;

export interface EncodedText {
  readonly ids: number[];
  readonly attentionMask: number[];
  readonly tokens: string[];
}

const isPunctuation = (ch: string): boolean => {
  const code = ch.codePointAt(0) ?? 0;
  if ((code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126)) return true;
  return /\p{P}/u.test(ch);
};

const isWhitespace = (ch: string): boolean => /\s/u.test(ch);
const isControl = (ch: string): boolean => !isWhitespace(ch) && /[\p{Cc}\p{Cf}]/u.test(ch);

export function basicTokenize(text: string): string[] {
  const cleaned = Array.from(text).filter((ch) => ch !== '\u0000' && ch !== '\ufffd' && !isControl(ch)).join('');
  const normalised = cleaned.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
  const words: string[] = [];
  let current = '';
  for (const ch of normalised) {
    if (isWhitespace(ch) || isPunctuation(ch)) {
      if (current !== '') words.push(current);
      current = '';
      if (!isWhitespace(ch)) words.push(ch);
    } else {
      current += ch;
    }
  }
  if (current !== '') words.push(current);
  return words;
}

export class WordPieceTokenizer {
  private readonly ids: ReadonlyMap<string, number>;

  constructor(readonly vocab: readonly string[], readonly maxLength: number = TOKENIZER_SPEC.maxLength) {
    this.ids = new Map(vocab.map((token, id) => [token, id]));
    for (const token of Object.values(SPECIAL_TOKENS)) {
      if (!this.ids.has(token)) throw new Error(`vocabulary lacks ${token}`);
    }
  }

  static fromVocabText(text: string, maxLength?: number): WordPieceTokenizer {
    return new WordPieceTokenizer(text.split('\n').filter((line) => line !== ''), maxLength);
  }

  idOf(token: string): number {
    return this.ids.get(token) ?? this.ids.get(SPECIAL_TOKENS.unk) ?? 0;
  }

  wordPieces(word: string): string[] {
    const chars = Array.from(word);
    if (chars.length > TOKENIZER_SPEC.maxInputCharsPerWord) return [SPECIAL_TOKENS.unk];
    const pieces: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let match: string | null = null;
      while (end > start) {
        const piece = (start > 0 ? TOKENIZER_SPEC.continuingSubwordPrefix : '') + chars.slice(start, end).join('');
        if (this.ids.has(piece)) {
          match = piece;
          break;
        }
        end--;
      }
      if (match === null) return [SPECIAL_TOKENS.unk];
      pieces.push(match);
      start = end;
    }
    return pieces;
  }

  tokenize(text: string): string[] {
    return basicTokenize(text).flatMap((word) => this.wordPieces(word));
  }

  encode(text: string): EncodedText {
    const pieces = this.tokenize(text).slice(0, this.maxLength - 2);
    const tokens = [SPECIAL_TOKENS.cls, ...pieces, SPECIAL_TOKENS.sep];
    const padding = this.maxLength - tokens.length;
    return {
      tokens,
      ids: [...tokens.map((t) => this.idOf(t)), ...new Array<number>(padding).fill(this.idOf(SPECIAL_TOKENS.pad))],
      attentionMask: [...new Array<number>(tokens.length).fill(1), ...new Array<number>(padding).fill(0)],
    };
  }

  /** What the runtime feeds when there is no complaint text. */
  absent(): EncodedText {
    return {
      tokens: [],
      ids: new Array<number>(this.maxLength).fill(this.idOf(SPECIAL_TOKENS.pad)),
      attentionMask: new Array<number>(this.maxLength).fill(0),
    };
  }
}
