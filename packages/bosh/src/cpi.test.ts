import { describe, expect, it } from '@jest/globals';
import { formatCpiError, isCpiError } from './cpi.js';

describe('formatCpiError', () => {
  it("wraps an unknown type as external_cpi.rb does, with the request id when given", () => {
    const error = { type: 'Unknown', message: 'File system specific implementation of OpenFile[file] failed' };
    expect(formatCpiError(error, 'reboot_vm', 'cpi-735808')).toBe(
      "Unknown CPI error 'Unknown' with message 'File system specific implementation of OpenFile[file] failed' in 'reboot_vm' CPI method (CPI request ID: 'cpi-735808')",
    );
    expect(formatCpiError(error, 'reboot_vm')).toBe(
      "Unknown CPI error 'Unknown' with message 'File system specific implementation of OpenFile[file] failed' in 'reboot_vm' CPI method",
    );
  });

  it('keeps the message of a known CPI error type', () => {
    expect(formatCpiError({ type: 'Bosh::Clouds::VMNotFound', message: "VM 'vm-1' not found" }, 'delete_vm', 'cpi-1')).toBe("VM 'vm-1' not found");
  });

  it('recognises CPI errors', () => {
    expect(isCpiError({ type: 'Unknown', message: 'x' })).toBe(true);
    expect(isCpiError(new Error('x'))).toBe(false);
    expect(isCpiError(undefined)).toBe(false);
  });
});
