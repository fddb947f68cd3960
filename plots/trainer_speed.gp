# Performance PF: the trainer's steps/s on the four benchmark shapes, ours vs PyTorch (same
# nets, float64, same threads), and our fraction of the measured dgemm peak: medians over the
# run's rounds (speed-up and fraction taken within a round; see benchmarks/trainer.c).
# Reads resdir/trainer.csv (benchmarks/trainer.c); writes figdir/trainer_speed.png and .svg.
if (!exists("resdir")) resdir = "build/results/trainer"
if (!exists("figdir")) figdir = "build/figures"
csv = resdir."/trainer.csv"

set datafile separator ","
set datafile missing "nan"
set datafile columnheaders
set key top right
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set logscale y
set yrange [1:*]
set ylabel "training steps per second (log)"
set xlabel "shape (a: n=30 w=64 b=32, b: n=30 w=512 b=256, c: d=256 w=64 b=1 online, d: n=256 w=1024 b=1024)"
set title "gdlimits trainer vs PyTorch (float64, medians over rounds): labels give our fraction of the dgemm peak and the speed-up"
set grid ytics

do for [fmt in "png svg"] {
  if (fmt eq "png") {
    set terminal pngcairo size 1000,600 enhanced font ",11"
  } else {
    set terminal svg size 1000,600 enhanced font ",11"
  }
  set output figdir."/trainer_speed.".fmt
  plot csv using 6:xtic(1) title "gdlimits" lc rgb "#1f77b4", \
       ''  using 9 title "PyTorch" lc rgb "#ff7f0e", \
       ''  using ($0 - 0.2):($6 * 1.3):(sprintf("%.0f%% peak", 100 * $8)) with labels notitle, \
       ''  using ($0 + 0.2):($9 * 1.3):(sprintf("x%.1f", $10)) with labels notitle
  unset output
}
