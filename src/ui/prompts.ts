// The Inquirer prompts this tool uses, imported by name so that the bundle leaves out the others
// (the editor prompt alone brings character-set tables): import this module lazily.
export { checkbox, confirm, input, select } from '@inquirer/prompts';
