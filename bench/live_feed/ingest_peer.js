// The Node machine's approach on the same frames: JSON.parse and parseFloat (one thread).
//   node ingest_peer.js FRAMES_FILE [repeat]
const fs = require('fs');
const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.length);
const repeat = Number(process.argv[3] || 20);
let sum = 0, n = 0;
const start = process.hrtime.bigint();
for (let r = 0; r < repeat; r++) {
  for (const l of lines) {
    const e = JSON.parse(l);
    const k = e.data.k;
    sum += parseFloat(k.o) + parseFloat(k.c) + parseFloat(k.h) + parseFloat(k.l) + parseFloat(k.v) + parseFloat(k.q);
    n++;
  }
}
const s = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`node JSON.parse: ${n} kline messages in ${s.toFixed(3)} s = ${(n / s / 1e6).toFixed(3)} M/s (checksum ${sum.toFixed(1)})`);
