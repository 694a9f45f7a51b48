# Summoner: the two contract commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
SWIFT ?= swift
BIN := .build/debug
CONFIG := config/summoner.toml

PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all build images deps demo test unit-test integration-test dns-e2e-test check-systemd guest-test install \
	test-faults fuzz bench bench-deps bench-http bench-density bench-summon bench-dns bench-dns-summonerd clean lab-up lab-down

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

## test: unit tests, DNS end-to-end, systemd unit checks, integration tests in the lab, guest network tests
test: deps build images unit-test dns-e2e-test check-systemd integration-test guest-test

unit-test:
	$(SWIFT) test

integration-test:
	@scripts/integration-test

check-systemd:
	@scripts/check-systemd

## install: release binaries, unit, default config, images, completions and man pages in FHS paths
install: images
	$(SWIFT) build -c release --product summonerd
	$(SWIFT) build -c release --product summonerctl
	@scripts/install "$(DESTDIR)" "$(PREFIX)"

## bench: benchmarks with release builds; results and method go to BENCHMARKS.md
bench: bench-summon bench-dns bench-dns-summonerd bench-http

bench-deps:
	@scripts/install-deps --bench

bench-summon: bench-deps images
	$(SWIFT) build -c release --product summonerd
	$(SWIFT) build -c release --product summonerctl
	scripts/bench-summon --write

## bench-http: wrk against a summoned guest's HTTP server, 1/8/64 connections
bench-http: bench-deps images
	$(SWIFT) build -c release --product summonerd
	scripts/bench-http --write

## bench-density: live idle guests in steps of 100 up to DENSITY_MAX (default 1000) or until memory runs out (not in `make bench`: long)
bench-density: bench-deps images
	$(SWIFT) build -c release --product summonerd
	scripts/bench-density --write

## dns-e2e-test: dig, kdig and dnspython against the DNS frontend on loopback (UDP, TCP, hostile packets)
dns-e2e-test:
	$(SWIFT) build --product dns-testserver
	@scripts/dns-e2e-test --server $(BIN)/dns-testserver

## fuzz: libFuzzer on the DNS parser and answer logic for FUZZ_SECONDS (default 60); crashes in .build/fuzz/crashes
fuzz:
	@scripts/fuzz-dns

## bench-dns-summonerd: dnsperf against summonerd itself answering live names, beside NSD, in the lab
bench-dns-summonerd: bench-deps images
	$(SWIFT) build -c release --product summonerd
	$(SWIFT) build -c release --product summonerctl
	scripts/bench-dns-summonerd

## bench-dns: dnsperf against the DNS frontend and NSD on loopback, same queries, same run (see BENCHMARKS.md)
bench-dns: bench-deps
	$(SWIFT) build -c release --product dns-testserver
	@scripts/bench-dns
	@scripts/bench-dns-inprocess

## test-faults: storm, SIGKILL mid-storm, floods, killed guests, swapped images, full disk, FAULT_CYCLES summon/stop cycles (default 1000)
test-faults: deps build images
	@scripts/fault-test

## guest-test: boot hello and echo on a bridge in a namespace of their own; ping, UDP echo, HTTP, hostile traffic
guest-test:
	@scripts/guest-net-test

lab-up:
	@scripts/lab up

lab-down:
	@scripts/lab down

clean:
	rm -rf .build
