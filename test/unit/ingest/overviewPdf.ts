/** The spec of test/fixtures/docs/specs/overview.pdf; a test checks the file still matches it. */
import type { PdfSpec } from './makePdf';

export const OVERVIEW_PDF: PdfSpec = {
  title: 'Acme Gateway Overview',
  pages: [
    [
      'Acme Gateway Overview',
      '',
      'The gateway supports 40,000 concurrent connections on a host',
      'with four cores and 8 GiB of memory.',
      '',
      'Every request is checked against the key store before it is',
      'forwarded. Lookups are cached for 30 seconds.',
    ],
    [
      'Audit and retention',
      '',
      'Audit logs are retained for 400 days and then deleted.',
      'Access to the audit logs needs the auditor role.',
    ],
  ],
};
