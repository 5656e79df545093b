export { compareCommand } from './audit';
