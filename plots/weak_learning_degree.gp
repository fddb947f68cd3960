# Claim WL, figure 1: test correlation vs degree k of the target prod_{i in S} x_i, |S| = k,
# for random ReLU features with the last layer fitted by ridge (20 000 train / 20 000 test):
# hypercube n = 20 with a Gaussian and a Rademacher first layer, sphere d = 20 (Gaussian).
# Open symbols, dashed: the non-equivariant twins (the same learners with the first layer
# restricted to S, weak_learning_twin.csv, drawn when present). Dashed black: 10/sqrt(m)
# (weak-learned), dotted: +-5/sqrt(m) (not learned).
# Reads resdir/weak_learning_degree.csv and resdir/weak_learning_twin.csv (benchmarks/weak_learning.c).
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
set datafile separator comma
f = resdir."/weak_learning_degree.csv"
ft = resdir."/weak_learning_twin.csv"
has_twin = int(system("test -f '".ft."' && echo 1 || echo 0"))
m = 20000.0
set xlabel "degree k of the target"
set ylabel "test correlation (Pearson)"
set xrange [0.5:20.5]
set yrange [-0.1:1.05]
set xtics 1
set grid
set key top right box opaque
sel(d, i) = ($1 == d && $2 == i && $4 == 0 ? $5 : 1/0)
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1000,600 font ",11"; set output figdir."/weak_learning_degree.png" }
  if (fmt eq "svg") { set terminal svg size 1000,600 font ",11"; set output figdir."/weak_learning_degree.svg" }
  set title "WL: what random-feature depth-2 nets weak-learn (n = d = 20)"
  tw = has_twin ? ft : f
  plot f skip 1 using 3:(sel(0, 0)) with linespoints lw 2 pt 7 lc rgb "#1f4e9c" title "hypercube, Gaussian first layer", \
       f skip 1 using 3:(sel(0, 1)) with linespoints lw 2 pt 5 lc rgb "#c0392b" title "hypercube, Rademacher first layer", \
       f skip 1 using 3:(sel(1, 0)) with linespoints lw 2 pt 9 lc rgb "#27ae60" title "sphere, Gaussian features", \
       tw skip 1 using 3:(has_twin ? sel(0, 0) : 1/0) with linespoints dt 2 lw 1.5 pt 6 lc rgb "#1f4e9c" title (has_twin ? "twin: Gaussian, restricted to S" : ""), \
       tw skip 1 using 3:(has_twin ? sel(0, 1) : 1/0) with linespoints dt 2 lw 1.5 pt 4 lc rgb "#c0392b" title (has_twin ? "twin: Rademacher, restricted to S" : ""), \
       tw skip 1 using 3:(has_twin ? sel(1, 0) : 1/0) with linespoints dt 2 lw 1.5 pt 8 lc rgb "#27ae60" title (has_twin ? "twin: sphere, restricted to S" : ""), \
       10/sqrt(m) with lines dt 2 lc rgb "black" title "10/sqrt(m): weak-learned", \
       5/sqrt(m) with lines dt 3 lc rgb "gray40" title "+-5/sqrt(m): not learned", \
       -5/sqrt(m) with lines dt 3 lc rgb "gray40" notitle
  unset output
}
