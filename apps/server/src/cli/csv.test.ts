import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from './csv.ts';

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, keeping start lines', () => {
    const text =
      '\ufeffnumber,password,name\r\n1001,"a,b","Say ""hi"""\r\n1002,x,"two\r\nlines"\n\n1003,y,\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['number', 'password', 'name'] },
      { line: 2, fields: ['1001', 'a,b', 'Say "hi"'] },
      { line: 3, fields: ['1002', 'x', 'two\r\nlines'] },
      { line: 6, fields: ['1003', 'y', ''] },
    ]);
  });

  it('reads a last record without a line break, and empty fields', () => {
    expect(parseCsv('a,,c\n,,')).toEqual([
      { line: 1, fields: ['a', '', 'c'] },
      { line: 2, fields: ['', '', ''] },
    ]);
  });

  it.each([
    ['a,"open\nmore', 1, 'not closed'],
    ['ok\nab"c,d', 2, 'quote inside an unquoted field'],
    ['"x"y,z', 1, 'after a closing quote'],
  ])('rejects %j at line %i', (text, line, message) => {
    const err = (() => {
      try {
        parseCsv(text);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(CsvError);
    expect((err as CsvError).line).toBe(line);
    expect((err as CsvError).message).toContain(message);
  });
});
