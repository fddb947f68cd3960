# Claims AL2 and NG3, the sphere under O(d). Left: the O(d)-alignment lambda of x1...xk on the
# sphere of radius sqrt(10) in R^10 vs k (log y): exact 1/N(10, k) (harmonic dimension), Haar
# Monte Carlo (exact inner products per rotation; error bar 4 SE), and the cube's 1/C(10, k)
# for comparison (B_n on {-1,1}^10). Right: noisy GD on the sphere (d = 8, one tanh unit,
# fresh sample of 4096 points per run): measured mean |<f_T, f>| (1 SE) against the explicit
# bound (junk sum +-4 SE), sqrt(lambda), and the x1 control, for the degree-4 target (NG3)
# and the tight regime (k = 1). Reads resdir/sphere_points.csv (benchmarks/sphere.c).
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
set datafile separator comma
f = resdir."/sphere_points.csv"
p1(c) = ($1 == 1 ? column(c) : 1/0)
ngx(p) = (p == 2 ? 1 : 2)
p23(c) = ($1 >= 2 ? column(c) : 1/0)
pos(x) = (x > 0 ? x : 1e-6)
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1200,520 font ",11"; set output figdir."/sphere_alignment.png" }
  if (fmt eq "svg") { set terminal svg size 1200,520 font ",11"; set output figdir."/sphere_alignment.svg" }
  set multiplot layout 1,2 title "AL2 / NG3: the sphere under O(d)"
  set logscale y
  set format y "10^{%L}"
  set grid
  set xlabel "k (target x_1 x_2 ... x_k, unit norm)"
  set ylabel "alignment lambda"
  set key bottom left box opaque
  set xtics 1
  set offsets 0.3, 0.3, 0, 0
  set title "AL2: lambda vs k, d = 10"
  plot f skip 1 using 3:(p1(4)) with linespoints lw 2 pt 7 lc rgb "#1f4e9c" title "exact 1/N(d,k) (sphere, O(d))", \
       f skip 1 using 3:(p1(6)):(pos(p1(6) - 4*p1(7))):(p1(6) + 4*p1(7)) with yerrorbars pt 6 ps 1.5 lc rgb "#c0392b" title "Haar Monte Carlo (4 SE)", \
       f skip 1 using 3:(p1(5)) with linespoints lw 2 dt 2 pt 4 lc rgb "black" title "cube 1/C(n,k) (B_n)"
  set title "NG3: noisy GD on the sphere (d = 8) vs the bound"
  set xlabel ""
  set xtics ("x_1...x_4 (NG3)" 1, "x_1 (tight regime)" 2)
  set xrange [0.5:2.5]
  set yrange [1e-4:5]
  set ylabel "correlation"
  set key bottom right box opaque
  plot f skip 1 using (ngx($1)):(p23(14)):(p23(15)):(p23(16)) with yerrorbars pt 7 ps 1.5 lc rgb "#1f4e9c" title "bound (junk sum +-4 SE)", \
       f skip 1 using (ngx($1)):(p23(4) > 0 ? sqrt(p23(4)) : 1/0) with points pt 2 ps 2 lc rgb "black" title "sqrt(lambda) = N(d,k)^{-1/2}", \
       f skip 1 using (ngx($1)):(p23(8)):(pos(p23(8) - p23(9))):(p23(8) + p23(9)) with yerrorbars pt 5 ps 1.3 lc rgb "#c0392b" title "measured mean |corr| (1 SE)", \
       f skip 1 using (ngx($1) + 0.1):(p23(10)):(p23(10) - 4*p23(11)):(p23(10) + 4*p23(11)) with yerrorbars pt 9 ps 1.5 lc rgb "#27ae60" title "control x_1, same trainer (4 SE)"
  unset multiplot
  unset output
}
