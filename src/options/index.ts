export * from './structure';
export * from './common';
export * from './agent';
export * from './task';
export * from './pool';
