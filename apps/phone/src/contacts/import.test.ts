import { describe, expect, it } from 'vitest';
import { parseContactsCsv, parseCsvRows } from './csv.ts';
import { parseVCards } from './vcard.ts';

describe('vCard import', () => {
  it('reads 3.0 and 4.0 cards: name, every number with its type, e-mail and company', () => {
    const text = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Lovelace;Ada;;;',
      'FN:Ada Lovelace',
      'ORG:Analytical Engines;Research',
      'TEL;TYPE=CELL:+44 7700 900123',
      'TEL;TYPE=WORK,VOICE:+44 20 7946 0000',
      'EMAIL;TYPE=INTERNET:ada@example.test',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'N:Babbage;Charles;;;',
      'TEL;VALUE=uri;TYPE=home:tel:+44-20-7946-0001',
      'END:VCARD',
    ].join('\r\n');
    expect(parseVCards(text)).toEqual([
      {
        name: 'Ada Lovelace',
        numbers: [
          { label: 'Mobile', number: '+44 7700 900123' },
          { label: 'Work', number: '+44 20 7946 0000' },
        ],
        email: 'ada@example.test',
        company: 'Analytical Engines',
      },
      { name: 'Charles Babbage', numbers: [{ label: 'Home', number: '+44-20-7946-0001' }] },
    ]);
  });

  it('unfolds long lines, decodes quoted-printable 2.1 values and skips cards without a way to reach them', () => {
    const text = [
      'BEGIN:VCARD',
      'VERSION:2.1',
      'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Ren=C3=A9e M=',
      'arie',
      'TEL;CELL:1002',
      'NOTE:a very long note that is folded',
      '  across two lines',
      'END:VCARD',
      'BEGIN:VCARD',
      'FN:Nobody',
      'END:VCARD',
    ].join('\n');
    expect(parseVCards(text)).toEqual([
      { name: 'Renée Marie', numbers: [{ label: 'Mobile', number: '1002' }] },
    ]);
  });
});

describe('CSV import', () => {
  it('splits quoted fields, doubled quotes, CRLF and semicolons', () => {
    expect(parseCsvRows('a,"b, c","say ""hi"""\r\n1,2,3\r\n')).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['1', '2', '3'],
    ]);
    expect(parseCsvRows('name;phone\nBob;1002')).toEqual([
      ['name', 'phone'],
      ['Bob', '1002'],
    ]);
  });

  it('maps the usual column names, joins first and last names, skips rows without a number', () => {
    const csv = [
      'First Name,Last Name,Mobile Phone,Business Phone,E-mail Address,Company',
      'Grace,Hopper,+1 555 0100,+1 555 0101,grace@example.test,Navy',
      'No,Number,,,none@example.test,',
    ].join('\n');
    expect(parseContactsCsv(csv)).toEqual([
      {
        name: 'Grace Hopper',
        numbers: [
          { label: 'Mobile', number: '+1 555 0100' },
          { label: 'Work', number: '+1 555 0101' },
        ],
        email: 'grace@example.test',
        company: 'Navy',
      },
    ]);
    expect(parseContactsCsv('Name,Phone\nBob,1002\n')).toEqual([
      { name: 'Bob', numbers: [{ label: 'Phone', number: '1002' }] },
    ]);
  });
});
