// The helper's own lockdown, applied before it looks at any user code: no new
// privileges, then a seccomp filter (all threads) refusing what a translator
// never needs: opening files, sockets, exec, new processes (threads are
// allowed), ptrace/kill, namespaces and mounts, bpf/perf/keyrings/io_uring/
// modules. The parent (compile_child.cpp's run_in_child) has already set the
// CPU, address-space, file-size and core rlimits and closed every other fd.
package main

import (
	"syscall"
	"unsafe"
)

type sockFilter struct {
	code uint16
	jt   uint8
	jf   uint8
	k    uint32
}

type sockFprog struct {
	len    uint16
	filter *sockFilter
}

const (
	bpfLdW   = 0x00 | 0x00 | 0x20 // BPF_LD | BPF_W | BPF_ABS
	bpfJeqK  = 0x05 | 0x10 | 0x00 // BPF_JMP | BPF_JEQ | BPF_K
	bpfJsetK = 0x05 | 0x40 | 0x00 // BPF_JMP | BPF_JSET | BPF_K
	bpfRetK  = 0x06 | 0x00        // BPF_RET | BPF_K

	auditArchX8664   = 0xc000003e
	retAllow         = 0x7fff0000
	retKillProcess   = 0x80000000
	retErrnoEPERM    = 0x00050000 | 1
	cloneThread      = 0x00010000
	sysSeccomp       = 317
	seccompSetFilter = 1
	filterFlagTsync  = 1
	prSetNoNewPrivs  = 38
)

var deniedSyscalls = []uint32{
	2, 85, 257, 437, // open, creat, openat, openat2
	41, 42, 43, 49, 50, 288, // socket, connect, accept, bind, listen, accept4
	59, 322, 57, 58, 435, // execve, execveat, fork, vfork, clone3
	101, 62, 310, 311, // ptrace, kill, process_vm_readv/writev
	165, 166, 272, 308, 155, 161, // mount, umount2, unshare, setns, pivot_root, chroot
	321, 298, 248, 249, 250, 425, 426, 427, // bpf, perf_event_open, keys, io_uring
	175, 176, 313, 246, 169, 167, 304, // modules, kexec, reboot, swapon, open_by_handle_at
}

func lockDown() error {
	if _, _, e := syscall.RawSyscall6(syscall.SYS_PRCTL, prSetNoNewPrivs, 1, 0, 0, 0, 0); e != 0 {
		return e
	}
	prog := []sockFilter{
		{bpfLdW, 0, 0, 4}, // arch
		{bpfJeqK, 1, 0, auditArchX8664},
		{bpfRetK, 0, 0, retKillProcess},
		{bpfLdW, 0, 0, 0}, // syscall number
	}
	// clone: threads only.
	prog = append(prog, sockFilter{bpfJeqK, 0, 4, 56},
		sockFilter{bpfLdW, 0, 0, 16}, // args[0], low word: the clone flags
		sockFilter{bpfJsetK, 0, 1, cloneThread},
		sockFilter{bpfRetK, 0, 0, retAllow},
		sockFilter{bpfRetK, 0, 0, retErrnoEPERM})
	for _, nr := range deniedSyscalls {
		prog = append(prog, sockFilter{bpfJeqK, 0, 1, nr}, sockFilter{bpfRetK, 0, 0, retErrnoEPERM})
	}
	prog = append(prog, sockFilter{bpfRetK, 0, 0, retAllow})
	fp := sockFprog{len: uint16(len(prog)), filter: &prog[0]}
	if _, _, e := syscall.RawSyscall(sysSeccomp, seccompSetFilter, filterFlagTsync, uintptr(unsafe.Pointer(&fp))); e != 0 {
		return e
	}
	return nil
}
