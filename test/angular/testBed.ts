/**
 * Angular's TestBed for the `rxjs-agents/angular` specs: the JIT compiler (Angular's packages
 * are partially compiled), the browser testing platform, and zoneless change detection — no
 * zone.js anywhere.
 */
import '@angular/compiler';
import {
  createEnvironmentInjector,
  EnvironmentInjector,
  provideZonelessChangeDetection,
  runInInjectionContext,
} from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { BrowserTestingModule, platformBrowserTesting } from '@angular/platform-browser/testing';
import { afterEach, beforeEach } from 'vitest';

let initialized = false;

/** Sets up TestBed for every test of the file, and resets it after each. */
export function useTestBed(): void {
  beforeEach(() => {
    if (!initialized) {
      TestBed.initTestEnvironment(BrowserTestingModule, platformBrowserTesting());
      initialized = true;
    }
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
  });
  afterEach(() => TestBed.resetTestingModule());
}

/** Calls `create` in an injector of its own, and gives a way to destroy that injector (a component's end). */
export function inOwnInjector<T>(create: () => T): { value: T; destroy: () => void } {
  const injector = createEnvironmentInjector([], TestBed.inject(EnvironmentInjector));
  return { value: runInInjectionContext(injector, create), destroy: () => injector.destroy() };
}
