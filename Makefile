# Summoner: the two contract commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
SWIFT ?= swift
BIN := .build/debug
CONFIG := config/summoner.toml

.PHONY: all build images deps demo test unit-test integration-test guest-test clean lab-up lab-down

all: build images

## deps: install the Debian packages Summoner needs (only those missing)
deps:
	@scripts/install-deps

## build: compile the daemon, the CLI and the image builder
build:
	$(SWIFT) build

## images: build the guest unikernels into .build/images (<app>.elf + <app>.json)
images:
	$(SWIFT) build --product summoner-image
	$(BIN)/summoner-image --root "$(CURDIR)" --output .build/images

## demo: install what is missing, build, summon a unikernel by DNS, show it, watch it reaped
demo: deps build images
	@scripts/demo

## test: unit tests, then integration tests of the real path inside the lab, then the guest network tests
test: deps build images unit-test integration-test guest-test

unit-test:
	$(SWIFT) test

integration-test:
	@scripts/integration-test

## guest-test: boot hello and echo on a bridge in a namespace of their own; ping, UDP echo, HTTP, hostile traffic
guest-test:
	@scripts/guest-net-test

lab-up:
	@scripts/lab up

lab-down:
	@scripts/lab down

clean:
	rm -rf .build
