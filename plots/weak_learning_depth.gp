# Claim WL, figure 2: depth x target table under noisy GD at equal budget (n = 12, tanh, width 8,
# lr 0.5, tau 0.1, T = 150): mean test correlation <f_T, f> over seeds, printed in each cell;
# the same targets are weak-learned at every depth. Reads resdir/weak_learning_depth.csv.
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
set datafile separator comma
f = resdir."/weak_learning_depth.csv"
stats f skip 1 using 2 nooutput
set xrange [-0.5:STATS_max + 0.5]
set yrange [1.5:4.5]
set ytics ("depth 2" 2, "depth 3" 3, "depth 4" 4)
set xlabel "target (n = 12)"
set cbrange [0:1]
set cblabel "mean correlation"
set palette defined (0 "#f7fbff", 0.3 "#9ecae1", 1 "#08306b")
unset key
set tics nomirror out
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1000,450 font ",11"; set output figdir."/weak_learning_depth.png" }
  if (fmt eq "svg") { set terminal svg size 1000,450 font ",11"; set output figdir."/weak_learning_depth.svg" }
  set title "WL3: depth x target, noisy GD at equal budget (cells: mean correlation)"
  plot f skip 1 using 2:1:($4 < 0 ? 0 : $4):xticlabels(3) with image, \
       f skip 1 using 2:1:(sprintf("%.3f", $4)) with labels font ",11" tc rgb "#d35400"
  unset output
}
