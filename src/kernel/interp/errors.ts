// The one error type of the kernel interpreter. Every failure while running tree code (a budget
// exhausted, a construct not supported, a call with no body, a division by zero, a bad pointer)
// is an InterpError with a one-line reason and the tree location it happened at; no other
// exception leaves the interpreter (run() converts anything unexpected into one).

export class InterpError extends Error {
  constructor(
    /** one line, e.g. "division by zero" or "cannot run vmx_foo: inline assembly" */
    readonly reason: string,
    /** "arch/x86/kvm/vmx/nested.c:3054" or null when no line is known */
    readonly location: string | null = null,
  ) {
    super(location ? `${reason} (${location})` : reason);
    this.name = 'InterpError';
  }
}
