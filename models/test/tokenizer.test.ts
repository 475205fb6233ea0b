import { describe, expect, it } from 'vitest';
import { buildClinicalVocabulary, vocabularyText } from '../build/index.js';
import { packageFile, packageTokenizer } from './package-fixture.js';

const tokenizer = packageTokenizer();
const PAD = 0;

// Ids checked by hand against vocab.txt line numbers (id = line - 1): [CLS]=2, [SEP]=3.
const SENTENCES: readonly { text: string; tokens: string[]; ids: number[] }[] = [
  {
    text: 'Crushing chest pain radiating to left arm!',
    tokens: ['[CLS]', 'crushing', 'chest', 'pain', 'radiating', 'to', 'left', 'arm', '!', '[SEP]'],
    ids: [2, 201, 174, 430, 462, 573, 359, 107, 4, 3],
  },
  {
    text: '72 y/o male, SOB & wheezing; hx COPD',
    tokens: ['[CLS]', '7', '##2', 'y', '/', 'o', 'male', ',', 'sob', '&', 'wheezing', ';', 'h', '##x', 'copd', '[SEP]'],
    ids: [2, 43, 631, 70, 18, 60, 380, 15, 513, 9, 613, 20, 53, 687, 195, 3],
  },
  {
    text: 'Patient: NAÏVE',
    tokens: ['[CLS]', 'patient', ':', 'n', '##a', '##i', '##v', '##e', '[SEP]'],
    ids: [2, 438, 19, 59, 639, 658, 685, 648, 3],
  },
  {
    text: '  Baby breathing FAST and grunting\t',
    tokens: ['[CLS]', 'baby', 'breathing', 'fast', 'and', 'grunting', '[SEP]'],
    ids: [2, 121, 148, 262, 98, 298, 3],
  },
];

describe('WordPiece tokenizer over the clinical vocabulary', () => {
  it.each(SENTENCES)('encodes "$text" to the hand-checked ids', ({ text, tokens, ids }) => {
    const encoded = tokenizer.encode(text);
    expect(encoded.tokens).toEqual(tokens);
    expect(encoded.ids).toEqual([...ids, ...new Array<number>(32 - ids.length).fill(PAD)]);
    expect(encoded.attentionMask).toEqual([...new Array<number>(ids.length).fill(1), ...new Array<number>(32 - ids.length).fill(0)]);
  });

  it('turns a word it cannot spell into a single [UNK]', () => {
    expect(tokenizer.encode('pain 😀').tokens).toEqual(['[CLS]', 'pain', '[UNK]', '[SEP]']);
  });

  it('truncates long complaints to 30 pieces between [CLS] and [SEP]', () => {
    const encoded = tokenizer.encode('fever and chills '.repeat(20));
    expect(encoded.ids).toHaveLength(32);
    expect(encoded.tokens).toHaveLength(32);
    expect(encoded.tokens.at(-1)).toBe('[SEP]');
    expect(encoded.attentionMask.every((m) => m === 1)).toBe(true);
  });

  it('feeds absent text as all padding with an all-zero attention mask', () => {
    expect(tokenizer.absent()).toEqual({ tokens: [], ids: new Array<number>(32).fill(PAD), attentionMask: new Array<number>(32).fill(0) });
  });

  it('ships the vocabulary the build generates', () => {
    expect(packageFile('vocab.txt').toString('utf8')).toBe(vocabularyText(buildClinicalVocabulary()));
  });
});
