// "Install the app": the browser's install prompt, kept when it is offered (Chromium-based
// browsers on Windows, macOS, Linux, Android). Safari installs from its Share menu instead.
interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
}

let deferred: InstallPromptEvent | undefined;
window.addEventListener('beforeinstallprompt', (event) => {
  event.preventDefault();
  deferred = event as InstallPromptEvent;
});
window.addEventListener('appinstalled', () => (deferred = undefined));

/** A function that shows the install prompt, or undefined when the browser offers none now. */
export function installPrompt(): (() => Promise<void>) | undefined {
  const event = deferred;
  if (!event) return undefined;
  return async () => {
    deferred = undefined;
    await event.prompt();
  };
}
