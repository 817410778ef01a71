<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
  <context>
    <name>AssignCodesAlgorithm</name>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="59" />
      <source>&lt;p&gt;Gives every parcel its identification code: the 12-character GeoHash of the WGS84 position (VN-2000 → WGS84 with EPSG's 7 parameters) of a point of the parcel. The point rule is a setting: a point guaranteed inside the parcel (default), or the centroid when it lies inside, else a point inside.&lt;/p&gt;&lt;p&gt;Codes already in the code field are checked first: a code used by two parcels (PARCEL_CODE_DUPLICATE) or a code that is not the code of the parcel's current geometry (PARCEL_CODE_STALE) is reported and listed in table &lt;code&gt;code_flags&lt;/code&gt;.&lt;/p&gt;&lt;p&gt;Writes a &lt;b&gt;copy&lt;/b&gt; (GeoPackage, layer &lt;code&gt;parcels&lt;/code&gt;); the source layer is never modified.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Gán cho mỗi thửa đất mã định danh thửa đất: chuỗi GeoHash 12 ký tự của vị trí WGS84 (chuyển VN-2000 → WGS84 theo 7 tham số của EPSG) của một điểm thuộc thửa. Quy tắc chọn điểm là một tùy chọn: một điểm chắc chắn nằm trong thửa (mặc định), hoặc trọng tâm nếu trọng tâm nằm trong thửa, nếu không thì một điểm nằm trong thửa.&lt;/p&gt;&lt;p&gt;Các mã đã có trong trường mã được kiểm tra trước: mã được dùng cho hai thửa (PARCEL_CODE_DUPLICATE) hoặc mã không phải là mã của hình học hiện tại của thửa (PARCEL_CODE_STALE) được báo và liệt kê trong bảng &lt;code&gt;code_flags&lt;/code&gt;.&lt;/p&gt;&lt;p&gt;Ghi ra một &lt;b&gt;bản sao&lt;/b&gt; (GeoPackage, lớp &lt;code&gt;parcels&lt;/code&gt;); lớp nguồn không bao giờ bị thay đổi.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="75" />
      <source>A point guaranteed inside (point on surface)</source>
      <translation>Một điểm chắc chắn nằm trong thửa (point on surface)</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="47" />
      <source>Assign identification codes</source>
      <translation>Gán mã định danh thửa đất</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="100" />
      <source>Cancelled: nothing was written.</source>
      <translation>Đã hủy: chưa ghi dữ liệu nào.</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="72" />
      <source>Code field</source>
      <translation>Trường mã định danh</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="79" />
      <source>Codes assigned</source>
      <translation>Số mã đã gán</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="112" />
      <source>Codes assigned: {0}</source>
      <translation>Số mã đã gán: {0}</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="78" />
      <source>Copy with codes</source>
      <translation>Bản sao có mã định danh</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="113" />
      <source>Duplicated codes: {0}</source>
      <translation>Số mã bị trùng: {0}</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="50" />
      <source>Fixes</source>
      <translation>Sửa lỗi</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="78" />
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="114" />
      <source>Out-of-date codes: {0}</source>
      <translation>Số mã đã lỗi thời: {0}</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="70" />
      <source>Parcel layer</source>
      <translation>Lớp thửa đất</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="119" />
      <source>Parcels (codes)</source>
      <translation>Thửa đất (mã định danh)</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="80" />
      <source>Parcels with a duplicated code</source>
      <translation>Số thửa đất có mã định danh bị trùng</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="81" />
      <source>Parcels with an out-of-date code</source>
      <translation>Số thửa đất có mã định danh đã lỗi thời</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="74" />
      <source>Point of the parcel</source>
      <translation>Quy tắc chọn điểm của thửa</translation>
    </message>
    <message>
      <location filename="../processing_provider/assign_codes.py" line="76" />
      <source>The centroid when inside, else a point inside</source>
      <translation>Trọng tâm nếu nằm trong thửa, nếu không thì một điểm nằm trong thửa</translation>
    </message>
  </context>
  <context>
    <name>CadastreCleanerPlugin</name>
    <message>
      <location filename="../plugin.py" line="77" />
      <source>&amp;Cadastre Cleaner</source>
      <translation>&amp;Cadastre Cleaner</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="80" />
      <source>Cadastre Cleaner</source>
      <translation>Cadastre Cleaner</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="90" />
      <source>Check the parcel map's topology and match it with the land register</source>
      <translation>Kiểm tra topology của bản đồ thửa đất và đối chiếu với sổ mục kê</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="96" />
      <source>Correct geometry…</source>
      <translation>Sửa hình học…</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="107" />
      <source>Default area tolerance factor and map scale</source>
      <translation>Hệ số sai số diện tích và tỷ lệ bản đồ mặc định</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="97" />
      <source>Fix overlaps, gaps, slivers and invalid polygons with a preview, in the layer's edit buffer</source>
      <translation>Sửa chồng đè, khe hở, thửa vụn và vùng không hợp lệ, có xem trước, trong bộ đệm chỉnh sửa của lớp</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="93" />
      <source>Go through the flags, one by one, and mark them fixed or exceptions</source>
      <translation>Xem lần lượt từng cờ lỗi và đánh dấu là đã sửa hoặc ngoại lệ</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="109" />
      <source>Help</source>
      <translation>Trợ giúp</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="87" />
      <source>Load sheets: arrives with the loader</source>
      <translation>Nạp tờ bản đồ: sẽ có cùng công cụ nạp tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="85" />
      <source>Load sheets…</source>
      <translation>Nạp tờ bản đồ…</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="86" />
      <source>Load the sheet files of a commune into one parcel layer</source>
      <translation>Nạp các tệp tờ bản đồ của một xã vào một lớp thửa đất</translation>
    </message>
    <message>
      <source>Match the parcel map with the land register and flag every disagreement</source>
      <translation type="obsolete">Đối chiếu bản đồ địa chính với sổ mục kê và gắn cờ lỗi cho mọi chỗ không khớp</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="102" />
      <source>Number parcels in zig-zag bands, assign identification codes, follow the progress</source>
      <translation>Đánh số thứ tự thửa theo đường zích zắc theo từng dải, gán mã định danh thửa đất, theo dõi tiến độ</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="110" />
      <source>Open the Cadastre Cleaner manual</source>
      <translation>Mở tài liệu hướng dẫn Cadastre Cleaner</translation>
    </message>
    <message>
      <source>Parcel codes: arrives with the parcel codes dock</source>
      <translation type="obsolete">Mã thửa: sẽ có cùng bảng mã thửa</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="101" />
      <source>Parcel codes…</source>
      <translation>Mã thửa…</translation>
    </message>
    <message>
      <source>Reconcile map and register…</source>
      <translation type="obsolete">Đối chiếu bản đồ với sổ mục kê…</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="92" />
      <source>Review flags</source>
      <translation>Rà soát cờ lỗi</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="89" />
      <source>Run checks…</source>
      <translation>Chạy kiểm tra…</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="175" />
      <source>Run the checks first: the dock lists the geometry flags of the project's Flags layer (Fix topology in Processing writes a corrected copy instead).</source>
      <translation>Hãy chạy kiểm tra trước: bảng này liệt kê các cờ lỗi hình học của lớp Flags trong dự án (công cụ Fix topology trong Processing thì ghi ra một bản sao đã sửa).</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="106" />
      <source>Settings…</source>
      <translation>Thiết lập…</translation>
    </message>
    <message>
      <source>Write a corrected copy of the parcels: overlaps, gaps, slivers, invalid polygons</source>
      <translation type="obsolete">Ghi bản sao đã sửa của các thửa đất: chồng đè, khe hở, thửa vụn, vùng không hợp lệ</translation>
    </message>
  </context>
  <context>
    <name>Catalogue</name>
    <message>
      <location filename="../core/flags/catalogue.py" line="128" />
      <source>A gap of {area} m² (width {width} m) that no parcel covers, between {neighbours}.</source>
      <translation>Khe hở {area} m² (rộng {width} m) không thuộc thửa nào, nằm giữa {neighbours}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="68" />
      <source>Area differs beyond tolerance</source>
      <translation>Diện tích chênh lệch vượt sai số cho phép</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="252" />
      <source>Boundary line closes no parcel</source>
      <translation>Đường ranh giới thửa không khép kín thửa nào</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="90" />
      <source>Citizen ID invalid</source>
      <translation>Số CCCD không hợp lệ</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="184" />
      <source>Code in the reference table is not official</source>
      <translation>Mã trong bảng tham chiếu không phải mã chính thức</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="85" />
      <source>Commune code closed in the 2025 merger</source>
      <translation>Mã xã đã hết hiệu lực do sắp xếp đơn vị hành chính năm 2025</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="81" />
      <source>Commune code unknown</source>
      <translation>Mã xã không có trong danh mục</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="238" />
      <source>Coordinate system doubtful</source>
      <translation>Hệ tọa độ đáng ngờ</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="127" />
      <source>Gap between parcels</source>
      <translation>Khe hở giữa các thửa</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="98" />
      <source>Gap in the parcel numbering</source>
      <translation>Khuyết số thửa trong dãy đánh số</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="173" />
      <source>Identification code out of date</source>
      <translation>Mã định danh thửa đất đã lỗi thời</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="168" />
      <source>Identification code used twice</source>
      <translation>Mã định danh thửa đất bị trùng</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="113" />
      <source>Invalid geometry</source>
      <translation>Hình học không hợp lệ</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="73" />
      <source>Land use differs</source>
      <translation>Loại đất không khớp</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="74" />
      <source>Land use on the map {map_value} vs register {reg_value}.</source>
      <translation>Loại đất trên bản đồ là {map_value}, trong sổ mục kê là {reg_value}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="77" />
      <source>Land-use code not in the list</source>
      <translation>Mã loại đất không có trong danh mục</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="69" />
      <source>Map area {map_area} m² vs register {reg_area} m² (difference {diff} m², tolerance {tol} m²){hint}.</source>
      <translation>Diện tích trên bản đồ {map_area} m², trong sổ mục kê {reg_area} m² (chênh lệch {diff} m², sai số cho phép {tol} m²){hint}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="64" />
      <source>Map parcel {sheet}/{parcel} matches register row {row} ({reg_sheet}/{reg_parcel}): {evidence}.</source>
      <translation>Thửa {sheet}/{parcel} trên bản đồ khớp với dòng {row} của sổ mục kê ({reg_sheet}/{reg_parcel}): {evidence}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="189" />
      <source>New commune is not the successor of the old one</source>
      <translation>Xã mới không phải xã kế thừa của xã cũ</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="52" />
      <source>Number {parcel} is used by {count} parcels on sheet {sheet}.</source>
      <translation>Số thửa {parcel} được dùng cho {count} thửa trên tờ {sheet}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="199" />
      <source>Old sheet or parcel sent to two targets</source>
      <translation>Tờ hoặc thửa cũ được chuyển tới hai nơi</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="94" />
      <source>Owner missing</source>
      <translation>Thiếu chủ sử dụng đất</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="117" />
      <source>Parcel in several pieces</source>
      <translation>Thửa gồm nhiều phần rời nhau</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="59" />
      <source>Parcel lies on another sheet</source>
      <translation>Thửa nằm trên tờ bản đồ khác</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="55" />
      <source>Parcel listed twice in the register</source>
      <translation>Thửa bị ghi trùng trong sổ mục kê</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="43" />
      <source>Parcel not in the register</source>
      <translation>Thửa không có trong sổ mục kê</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="51" />
      <source>Parcel number used twice on a sheet</source>
      <translation>Số thửa bị trùng trên cùng một tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="157" />
      <source>Parcel outside the sheet frames</source>
      <translation>Thửa nằm ngoài khung tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="162" />
      <source>Parcel spans two sheets</source>
      <translation>Thửa nằm trên hai tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="109" />
      <source>Parcel without geometry</source>
      <translation>Thửa không có hình học</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="56" />
      <source>Parcel {sheet}/{parcel} has {count} register rows: {rows}.</source>
      <translation>Thửa {sheet}/{parcel} có {count} dòng trong sổ mục kê: {rows}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="143" />
      <source>Parcel {sheet}/{parcel} has {count} spike(s): a vertex with an angle of {angle}° at {where}.</source>
      <translation>Thửa {sheet}/{parcel} có {count} gai nhọn: đỉnh có góc {angle}° tại {where}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="110" />
      <source>Parcel {sheet}/{parcel} has {what} geometry.</source>
      <translation>Thửa {sheet}/{parcel} — hình học: {what}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="138" />
      <source>Parcel {sheet}/{parcel} is a sliver: {area} m², mean width {width} m (limits {min_width} m, {min_area} m²).</source>
      <translation>Thửa {sheet}/{parcel} là thửa vụn: {area} m², bề rộng trung bình {width} m (ngưỡng {min_width} m, {min_area} m²).</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="118" />
      <source>Parcel {sheet}/{parcel} is made of {parts} separate pieces (smallest {smallest} m²).</source>
      <translation>Thửa {sheet}/{parcel} gồm {parts} phần rời nhau (phần nhỏ nhất {smallest} m²).</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="60" />
      <source>Parcel {sheet}/{parcel} lies {where} sheet {located}.</source>
      <translation>Thửa {sheet}/{parcel} nằm {where} tờ {located}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="44" />
      <source>Parcel {sheet}/{parcel} on the map has no register row.</source>
      <translation>Thửa {sheet}/{parcel} trên bản đồ không có dòng nào trong sổ mục kê.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="148" />
      <source>Parcel {sheet}/{parcel} repeats {count} vertex/vertices (first at {where}).</source>
      <translation>Thửa {sheet}/{parcel} có {count} đỉnh lặp (đỉnh đầu tiên tại {where}).</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="163" />
      <source>Parcel {sheet}/{parcel} spans sheets {parts}; it belongs on sheet {best}, which holds its larger part.</source>
      <translation>Thửa {sheet}/{parcel} nằm trên các tờ {parts}; thửa thuộc tờ {best}, là tờ chứa phần lớn hơn của thửa.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="169" />
      <source>Parcel {sheet}/{parcel}: identification code {value} is also used by {count} other parcel(s), e.g. {other}.</source>
      <translation>Thửa {sheet}/{parcel}: mã định danh thửa đất {value} cũng được dùng cho {count} thửa khác, ví dụ {other}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="174" />
      <source>Parcel {sheet}/{parcel}: the stored identification code {stored} is not the code of its current geometry ({current}): the parcel was edited since the code was given.</source>
      <translation>Thửa {sheet}/{parcel}: mã định danh thửa đất đã lưu {stored} không phải là mã của hình học hiện tại ({current}): thửa đã bị chỉnh sửa sau khi được gán mã.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="158" />
      <source>Parcel {sheet}/{parcel}: {outside} m² ({share} %) lies outside every sheet frame.</source>
      <translation>Thửa {sheet}/{parcel}: {outside} m² ({share} %) nằm ngoài mọi khung tờ bản đồ.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="114" />
      <source>Parcel {sheet}/{parcel}: {reason} at {where}.</source>
      <translation>Thửa {sheet}/{parcel}: {reason} tại {where}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="122" />
      <source>Parcels overlap</source>
      <translation>Các thửa chồng đè nhau</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="133" />
      <source>Parcels {sheet}/{parcel} and {other} have {how} polygon ({share} % shared).</source>
      <translation>Thửa {sheet}/{parcel} và thửa {other} có vùng {how} ({share} % diện tích trùng nhau).</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="123" />
      <source>Parcels {sheet}/{parcel} and {other} overlap by {area} m² (width {width} m, tolerance {tol} m).</source>
      <translation>Thửa {sheet}/{parcel} và thửa {other} chồng đè nhau {area} m² (rộng {width} m, sai số cho phép {tol} m).</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="242" />
      <source>Polygon without a parcel number</source>
      <translation>Vùng không có số thửa</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="194" />
      <source>Province code does not match the commune</source>
      <translation>Mã tỉnh không khớp với xã</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="180" />
      <source>Reference table row incomplete</source>
      <translation>Dòng bảng tham chiếu thiếu thông tin</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="209" />
      <source>Reference table row repeated</source>
      <translation>Dòng bảng tham chiếu bị lặp</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="190" />
      <source>Reference table row {row}: old commune {old} went to {official} in the merger, not to {new}. The row is not applied.</source>
      <translation>Bảng tham chiếu, dòng {row}: khi sáp nhập, xã cũ {old} được nhập vào {official}, không phải {new}. Dòng này không được áp dụng.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="225" />
      <source>Reference table row {row}: parcel {parcel} of sheet {sheet} ({scale}) of commune {commune} is not in the {layer}.</source>
      <translation>Bảng tham chiếu, dòng {row}: thửa {parcel} tờ {sheet} ({scale}) xã {commune} không có trong {layer}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="195" />
      <source>Reference table row {row}: {what} {code} belongs to province {official}, not {given}.</source>
      <translation>Bảng tham chiếu, dòng {row}: {what} {code} thuộc tỉnh {official}, không phải {given}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="185" />
      <source>Reference table row {row}: {what} {value} is not {expected}. The row is not applied.</source>
      <translation>Bảng tham chiếu, dòng {row}: {what} {value} không phải {expected}. Dòng này không được áp dụng.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="181" />
      <source>Reference table row {row}: {what}. The row is not applied.</source>
      <translation>Bảng tham chiếu, dòng {row}: {what}. Dòng này không được áp dụng.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="210" />
      <source>Reference table rows {rows} say the same ({key} to {target}); applied once.</source>
      <translation>Bảng tham chiếu, các dòng {rows} ghi cùng một nội dung ({key} sang {target}); chỉ áp dụng một lần.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="200" />
      <source>Reference table rows {rows}: {key} is sent to {targets}. None of these rows is applied.</source>
      <translation>Bảng tham chiếu, các dòng {rows}: {key} được chuyển sang {targets}. Không dòng nào trong số này được áp dụng.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="205" />
      <source>Reference table rows {rows}: {sources} are all sent to {target}. None of these rows is applied.</source>
      <translation>Bảng tham chiếu, các dòng {rows}: {sources} cùng được chuyển sang {target}. Không dòng nào trong số này được áp dụng.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="47" />
      <source>Register row without a parcel</source>
      <translation>Dòng sổ mục kê không có thửa trên bản đồ</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="48" />
      <source>Register row {row} ({sheet}/{parcel}) has no parcel on the map.</source>
      <translation>Dòng {row} của sổ mục kê ({sheet}/{parcel}) không có thửa trên bản đồ.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="95" />
      <source>Register row {row} ({sheet}/{parcel}) names no land user.</source>
      <translation>Dòng {row} của sổ mục kê ({sheet}/{parcel}) không ghi tên người sử dụng đất.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="91" />
      <source>Register row {row}: citizen ID {value} — {reason}.</source>
      <translation>Dòng {row} của sổ mục kê: số CCCD {value} — {reason}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="224" />
      <source>Renumbered parcel not found</source>
      <translation>Không tìm thấy thửa được đánh số lại</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="147" />
      <source>Repeated vertex</source>
      <translation>Đỉnh lặp</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="132" />
      <source>Same polygon twice</source>
      <translation>Vùng thửa bị trùng lặp</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="247" />
      <source>Several parcel numbers in one polygon</source>
      <translation>Nhiều số thửa trong một vùng</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="152" />
      <source>Shared boundary not noded</source>
      <translation>Ranh giới chung chưa bắt điểm</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="230" />
      <source>Sheet file cannot be read</source>
      <translation>Không đọc được tệp tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="219" />
      <source>Sheet not in the reference table</source>
      <translation>Tờ bản đồ không có trong bảng tham chiếu</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="234" />
      <source>Sheet number sources disagree</source>
      <translation>Các nguồn xác định số tờ không thống nhất</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="63" />
      <source>Sheet or parcel number differs from the register</source>
      <translation>Số tờ hoặc số thửa khác với sổ mục kê</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="39" />
      <source>Sheet or parcel number missing</source>
      <translation>Thiếu số tờ hoặc số thửa</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="214" />
      <source>Sheet scale unknown, the table has several</source>
      <translation>Chưa rõ tỷ lệ của tờ, bảng tham chiếu có nhiều tỷ lệ</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="253" />
      <source>Sheet {sheet} ({file}): a boundary line of {length} m {how} (at {where}).</source>
      <translation>Tờ {sheet} ({file}): đường ranh giới thửa dài {length} m {how} (tại {where}).</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="248" />
      <source>Sheet {sheet} ({file}): the polygon at {where} holds {count} parcel numbers ({numbers}); {used} was used.</source>
      <translation>Tờ {sheet} ({file}): vùng tại {where} chứa {count} số thửa ({numbers}); đã dùng số thửa {used}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="243" />
      <source>Sheet {sheet} ({file}): the polygon of {area} m² at {where}, closed by the boundary lines, holds no parcel-number label (level/layer {levels}).</source>
      <translation>Tờ {sheet} ({file}): vùng {area} m² tại {where}, khép kín bởi các đường ranh giới thửa, không chứa nhãn (chữ ghi chú) số thửa nào (level/lớp {levels}).</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="99" />
      <source>Sheet {sheet}: number {numbers} used neither on the map nor in the register, and not recorded as an old number.</source>
      <translation>Tờ {sheet}: số thửa {numbers} không có trên bản đồ lẫn trong sổ mục kê, và không được ghi nhận là số thửa cũ.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="137" />
      <source>Sliver parcel</source>
      <translation>Thửa vụn</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="142" />
      <source>Spike</source>
      <translation>Gai nhọn</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="204" />
      <source>Two old sheets or parcels sent to one target</source>
      <translation>Hai tờ hoặc thửa cũ được chuyển vào cùng một nơi</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="103" />
      <source>Value cannot be read</source>
      <translation>Giá trị không đọc được</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="231" />
      <source>{file} cannot be read: {reason}. Nothing was loaded from it.</source>
      <translation>Không đọc được {file}: {reason}. Chưa nạp dữ liệu nào từ tệp này.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="239" />
      <source>{file}: {problem}.</source>
      <translation>{file}: {problem}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="235" />
      <source>{file}: {what}; sheet {used} was used ({source}).</source>
      <translation>{file}: {what}; đã dùng số tờ {used} ({source}).</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="215" />
      <source>{layer} {ident}: sheet {sheet} of commune {commune} is in the reference table at scales {scales} and its own scale is not known. Left unchanged.</source>
      <translation>{layer} {ident}: tờ {sheet} xã {commune} có trong bảng tham chiếu ở các tỷ lệ {scales} nhưng chưa rõ tỷ lệ của chính nó. Giữ nguyên.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="220" />
      <source>{layer}: sheet {sheet} ({scale}) of commune {commune} is not in the reference table ({count} record(s)). Left unchanged.</source>
      <translation>{layer}: tờ {sheet} ({scale}) xã {commune} không có trong bảng tham chiếu ({count} bản ghi). Giữ nguyên.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="82" />
      <source>{side} commune code {value} is not an official commune code.</source>
      <translation>{side}: mã xã {value} không phải là mã đơn vị hành chính cấp xã chính thức.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="86" />
      <source>{side} commune code {value} was closed on 1 July 2025; the commune is now {new_code} {new_name}.</source>
      <translation>{side}: mã xã {value} đã hết hiệu lực từ ngày 01/7/2025; đơn vị hành chính cấp xã hiện nay là {new_code} {new_name}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="78" />
      <source>{side} land-use code {value} is {state}.</source>
      <translation>{side}: mã loại đất {value} — {state}.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="40" />
      <source>{side} record has no {missing}: it cannot be matched.</source>
      <translation>{side}: bản ghi không có {missing} nên không thể đối chiếu.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="104" />
      <source>{side} {field} {value!r} is not a number; the check that needs it was skipped for this record.</source>
      <translation>{side}: {field} {value!r} không phải là số; phép kiểm tra cần giá trị này đã được bỏ qua đối với bản ghi này.</translation>
    </message>
    <message>
      <location filename="../core/flags/catalogue.py" line="153" />
      <source>{what}: {count} vertex/vertices lie {how} without a matching vertex{extra}.</source>
      <translation>{what}: {count} đỉnh nằm {how} nhưng không có đỉnh tương ứng{extra}.</translation>
    </message>
  </context>
  <context>
    <name>CheckTask</name>
    <message>
      <location filename="../ui/check_task.py" line="45" />
      <source>Cadastre Cleaner: run checks</source>
      <translation>Cadastre Cleaner: chạy kiểm tra</translation>
    </message>
    <message>
      <location filename="../ui/check_task.py" line="97" />
      <source>Cancelled: nothing was written</source>
      <translation>Đã hủy: chưa ghi dữ liệu nào</translation>
    </message>
    <message>
      <location filename="../ui/check_task.py" line="70" />
      <source>Cannot write {path}: {reason}. Close the programs or layers using it and run again.</source>
      <translation>Không ghi được {path}: {reason}. Hãy đóng các chương trình hoặc lớp đang dùng tệp này rồi chạy lại.</translation>
    </message>
    <message>
      <location filename="../ui/check_task.py" line="76" />
      <source>The check failed unexpectedly ({kind}: {text}); the details are in the Cadastre Cleaner log.</source>
      <translation>Phép kiểm tra gặp lỗi ngoài dự kiến ({kind}: {text}); chi tiết có trong nhật ký Cadastre Cleaner.</translation>
    </message>
  </context>
  <context>
    <name>CheckTopologyAlgorithm</name>
    <message>
      <location filename="../processing_provider/check_topology.py" line="64" />
      <source>&lt;p&gt;Checks that the parcels tile the land: valid and non-empty polygons, no overlaps, no gaps inside the sheets, shared boundaries with matching vertices, no slivers, spikes or repeated vertices, every parcel inside a sheet frame.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Tolerance&lt;/b&gt;: by default the positional accuracy of each parcel's map scale (from the sheet layer, else the scale chosen here): 0.07 m at 1:500, 0.15 m at 1:1000, 0.30 m at 1:2000. An overlap or gap thinner than that is reported as NOT_NODED (snap it), a thicker one as OVERLAP or GAP.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output&lt;/b&gt;: the flags GeoPackage (the same file the register check writes; reviewers' decisions are kept, and only the checks run here are re-checked), loaded as "Flags"; each flag's geometry is the overlap, the gap or a mark at the faulty vertex.&lt;/p&gt;&lt;ul&gt;</source>
      <translation>&lt;p&gt;Kiểm tra các thửa đất có khép kín, liền khít với nhau hay không: vùng thửa hợp lệ và không rỗng, không chồng đè, không có khe hở bên trong các tờ bản đồ, ranh giới chung có các đỉnh trùng khớp, không có thửa vụn, gai nhọn hay đỉnh lặp, mọi thửa đều nằm trong khung tờ bản đồ.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Sai số cho phép&lt;/b&gt;: mặc định là sai số vị trí điểm theo tỷ lệ bản đồ của từng thửa (lấy từ lớp tờ bản đồ, nếu không có thì theo tỷ lệ chọn ở đây): 0.07 m ở tỷ lệ 1:500, 0.15 m ở 1:1000, 0.30 m ở 1:2000. Phần chồng đè hoặc khe hở mỏng hơn mức này được báo là NOT_NODED (cần bắt điểm), dày hơn thì báo là OVERLAP hoặc GAP.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kết quả&lt;/b&gt;: tệp GeoPackage cờ lỗi (cùng tệp mà phép đối chiếu sổ mục kê ghi ra; quyết định của người rà soát được giữ nguyên, và chỉ các phép kiểm tra chạy ở đây được kiểm tra lại), nạp vào dự án với tên "Cờ lỗi"; hình học của mỗi cờ lỗi là phần chồng đè, khe hở hoặc điểm đánh dấu tại đỉnh bị lỗi.&lt;/p&gt;&lt;ul&gt;</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="122" />
      <source>Cancelled: nothing was written.</source>
      <translation>Đã hủy: chưa ghi dữ liệu nào.</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="49" />
      <source>Check topology</source>
      <translation>Kiểm tra topology</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="52" />
      <source>Checks</source>
      <translation>Kiểm tra</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="96" />
      <source>Excel workbook (*.xlsx)</source>
      <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="94" />
      <source>Flags</source>
      <translation>Cờ lỗi</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="88" />
      <source>From the sheet layer, else 1:1000</source>
      <translation>Lấy từ lớp tờ bản đồ, nếu không có thì 1:1000</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="94" />
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="87" />
      <source>Map scale (when the sheets do not say)</source>
      <translation>Tỷ lệ bản đồ (khi lớp tờ bản đồ không ghi tỷ lệ)</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="107" />
      <source>No check chosen: choose at least one in Checks.</source>
      <translation>Chưa chọn phép kiểm tra nào: hãy chọn ít nhất một mục trong Kiểm tra.</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="99" />
      <source>Open flags</source>
      <translation>Cờ lỗi đang mở</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="79" />
      <source>Parcel layer</source>
      <translation>Lớp thửa đất</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="98" />
      <source>Parcels</source>
      <translation>Số lượng thửa</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="96" />
      <source>Report</source>
      <translation>Báo cáo</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="81" />
      <source>Sheet frames (scale, OUTSIDE_SHEET, CROSSES_SHEET)</source>
      <translation>Khung tờ bản đồ (tỷ lệ, OUTSIDE_SHEET, CROSSES_SHEET)</translation>
    </message>
    <message>
      <location filename="../processing_provider/check_topology.py" line="91" />
      <source>Tolerance in metres (0: by scale)</source>
      <translation>Sai số cho phép, tính bằng mét (0: theo tỷ lệ bản đồ)</translation>
    </message>
  </context>
  <context>
    <name>ChecksTree</name>
    <message>
      <location filename="../ui/checks_tree.py" line="23" />
      <source>Check</source>
      <translation>Phép kiểm tra</translation>
    </message>
    <message>
      <location filename="../ui/checks_tree.py" line="23" />
      <source>Code</source>
      <translation>Mã lỗi</translation>
    </message>
    <message>
      <location filename="../ui/checks_tree.py" line="26" />
      <source>Map against the register</source>
      <translation>Đối chiếu bản đồ với sổ mục kê</translation>
    </message>
    <message>
      <location filename="../ui/checks_tree.py" line="26" />
      <source>Topology</source>
      <translation>Topology</translation>
    </message>
    <message>
      <location filename="../ui/checks_tree.py" line="53" />
      <source>{code}: needs a register table</source>
      <translation>{code}: cần có bảng sổ mục kê</translation>
    </message>
  </context>
  <context>
    <name>CodesDock</name>
    <message>
      <location filename="../ui/codes_dock.py" line="609" />
      <source>(all sheets)</source>
      <translation>(mọi tờ bản đồ)</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="373" />
      <source>(first {0} shown)</source>
      <translation>(chỉ hiện {0} dòng đầu)</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="288" />
      <source>(no sheet)</source>
      <translation>(không có tờ)</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="832" />
      <source>A corrected register ({0} rows changed) is written to {1}.</source>
      <translation>Bản sao sổ mục kê đã sửa ({0} dòng thay đổi) được ghi vào {1}.</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="130" />
      <source>After a split or merge</source>
      <translation>Sau khi tách hoặc gộp thửa</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="161" />
      <source>All</source>
      <translation>Tất cả</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="168" />
      <source>Apply</source>
      <translation>Áp dụng</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="201" />
      <source>Assign codes</source>
      <translation>Gán mã</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="542" />
      <source>Assign identification codes</source>
      <translation>Gán mã định danh thửa đất</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="152" />
      <source>Band height</source>
      <translation>Chiều cao dải</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="142" />
      <source>Band height in metres; 0: a tenth of the sheet side at the chosen scale</source>
      <translation>Chiều cao dải tính bằng mét; 0: một phần mười cạnh tờ bản đồ theo tỷ lệ đã chọn</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="789" />
      <source>Build or import the sheet reference table first</source>
      <translation>Hãy lập hoặc nhập bảng đối chiếu số tờ bản đồ trước</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="652" />
      <source>Build reference</source>
      <translation>Lập bảng đối chiếu</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="141" />
      <source>By scale</source>
      <translation>Theo tỷ lệ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="195" />
      <source>Centroid when inside</source>
      <translation>Trọng tâm nếu nằm trong thửa</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="202" />
      <source>Check codes</source>
      <translation>Kiểm tra mã</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="524" />
      <source>Choose the parcel layer first</source>
      <translation>Hãy chọn lớp thửa đất trước</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="226" />
      <source>Clean</source>
      <translation>Sạch lỗi</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="227" />
      <source>Clean %</source>
      <translation>% sạch lỗi</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="232" />
      <source>Clean % over runs</source>
      <translation>% sạch lỗi qua các lần chạy</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="169" />
      <source>Clear preview</source>
      <translation>Xóa xem trước</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="674" />
      <source>Code</source>
      <translation>Mã</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="197" />
      <source>Code field</source>
      <translation>Trường mã định danh</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="225" />
      <source>Commune</source>
      <translation>Xã</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="554" />
      <source>Could not write the codes into {0}</source>
      <translation>Không thể ghi mã định danh vào {0}</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="839" />
      <source>Could not write the merger into {0}</source>
      <translation>Không ghi được kết quả sáp nhập vào {0}</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="473" />
      <source>Could not write the numbers into {0}</source>
      <translation>Không thể ghi số thửa vào {0}</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="579" />
      <source>Duplicates: {0}, stale: {1}, without code: {2}</source>
      <translation>Trùng: {0}, lỗi thời: {1}, chưa có mã: {2}</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="129" />
      <source>Fill missing numbers</source>
      <translation>Bổ sung số thửa còn thiếu</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="674" />
      <source>Finding</source>
      <translation>Phát hiện</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="153" />
      <source>First number</source>
      <translation>Số thửa bắt đầu</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="226" />
      <source>Flagged</source>
      <translation>Có cờ lỗi</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="219" />
      <source>Flags file (*.gpkg)</source>
      <translation>Tệp cờ lỗi (*.gpkg)</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="104" />
      <source>Identification codes</source>
      <translation>Mã định danh thửa đất</translation>
    </message>
    <message>
      <source>Import the national sheet reference table first</source>
      <translation type="obsolete">Hãy nhập bảng tham chiếu bản đồ địa chính 2 cấp trước</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="654" />
      <source>Import…</source>
      <translation>Nhập…</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="195" />
      <source>Inner point</source>
      <translation>Điểm bên trong thửa</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="225" />
      <source>Matched</source>
      <translation>Khớp sổ mục kê</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="106" />
      <source>Merger</source>
      <translation>Sáp nhập</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="836" />
      <source>Merger: renumber {0} parcels</source>
      <translation>Sáp nhập: đánh số lại {0} thửa</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="837" />
      <source>Merger: renumber {0} sheet frames</source>
      <translation>Sáp nhập: đánh số lại {0} khung tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="150" />
      <source>Mode</source>
      <translation>Chế độ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="682" />
      <source>New commune</source>
      <translation>Mã xã mới</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="181" />
      <source>New number</source>
      <translation>Số thửa mới</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="682" />
      <source>New sheet</source>
      <translation>Số tờ mới</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="825" />
      <source>No commune or sheet changes</source>
      <translation>Không có thay đổi mã xã hay số tờ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="439" />
      <source>No number changes</source>
      <translation>Không có số thửa nào thay đổi</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="98" />
      <source>No parcel layer</source>
      <translation>Chưa có lớp thửa đất</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="233" />
      <source>No runs</source>
      <translation>Chưa có lần chạy nào</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="163" />
      <source>None</source>
      <translation>Bỏ chọn</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="802" />
      <source>Not covered</source>
      <translation>Không có trong bảng</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="148" />
      <source>Number field</source>
      <translation>Trường số thửa</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="103" />
      <source>Numbering</source>
      <translation>Đánh số thửa</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="681" />
      <source>Old commune</source>
      <translation>Mã xã cũ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="180" />
      <source>Old number</source>
      <translation>Số thửa cũ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="681" />
      <source>Old sheet</source>
      <translation>Số tờ cũ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="149" />
      <source>Old-number field</source>
      <translation>Trường số thửa cũ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="226" />
      <source>Open errors</source>
      <translation>Lỗi còn mở</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="647" />
      <source>Optional: a corrected copy of the register is written beside it (…_merged.xlsx); the file itself is only read</source>
      <translation>Tùy chọn: bản sao đã sửa của sổ mục kê được ghi bên cạnh (…_merged.xlsx); tệp gốc chỉ được đọc</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="76" />
      <source>Parcel codes</source>
      <translation>Mã thửa đất</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="262" />
      <source>Parcel layer: {0}</source>
      <translation>Lớp thửa đất: {0}</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="802" />
      <source>Parcel numbers</source>
      <translation>Số thửa mới</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="225" />
      <source>Parcels</source>
      <translation>Thửa đất</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="198" />
      <source>Point rule</source>
      <translation>Quy tắc chọn điểm</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="167" />
      <source>Preview</source>
      <translation>Xem trước</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="380" />
      <source>Preview numbers</source>
      <translation>Xem trước số thửa</translation>
    </message>
    <message>
      <source>Preview: {0} parcels and {1} sheet frames would change; {2} parcels left as they are; {3} findings</source>
      <translation type="obsolete">Xem trước: {0} thửa và {1} khung tờ sẽ thay đổi; {2} thửa giữ nguyên; {3} phát hiện</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="806" />
      <source>Preview: {0} parcels, {1} sheet frames and {2} register rows would change; {3} parcels left as they are; {4} findings</source>
      <translation>Xem trước: {0} thửa, {1} khung tờ và {2} dòng sổ mục kê sẽ thay đổi; {3} thửa giữ nguyên; {4} phát hiện</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="105" />
      <source>Progress</source>
      <translation>Tiến độ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="778" />
      <source>Reference table: {0} rows read, {1} applied, {2} findings; {3} sheets, {4} renumbered parcels</source>
      <translation>Bảng tham chiếu: đọc {0} dòng, áp dụng {1}, {2} phát hiện; {3} tờ, {4} thửa đánh số lại</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="649" />
      <source>Register</source>
      <translation>Sổ mục kê</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="646" />
      <source>Registers (*.xlsx *.xlsm *.xls *.ods *.csv *.txt *.dbf)</source>
      <translation>Sổ mục kê (*.xlsx *.xlsm *.xls *.ods *.csv *.txt *.dbf)</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="129" />
      <source>Renumber all</source>
      <translation>Đánh số lại toàn bộ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="448" />
      <source>Renumber {0} parcels</source>
      <translation>Đánh số lại {0} thửa đất</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="829" />
      <source>Renumber {0} parcels and {1} sheet frames with the reference table? Each layer changes in one step (Ctrl+Z undoes); {2} findings are listed.</source>
      <translation>Đánh số lại {0} thửa và {1} khung tờ theo bảng tham chiếu? Mỗi lớp thay đổi trong một bước (Ctrl+Z để hoàn tác); {2} phát hiện được liệt kê.</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="901" />
      <source>Renumber {0} parcels with the reference table? One step (Ctrl+Z undoes).</source>
      <translation>Đánh số lại {0} thửa theo bảng tham chiếu? Một bước (Ctrl+Z để hoàn tác).</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="226" />
      <source>Reviewed</source>
      <translation>Đã rà soát</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="674" />
      <source>Row</source>
      <translation>Dòng</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="682" />
      <source>Rule</source>
      <translation>Quy tắc</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="151" />
      <source>Scale</source>
      <translation>Tỷ lệ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="180" />
      <source>Sheet</source>
      <translation>Tờ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="147" />
      <source>Sheet field</source>
      <translation>Trường số tờ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="643" />
      <source>Sheet frames</source>
      <translation>Khung tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="641" />
      <source>Sheet frames: renumbered too, and they tell each parcel's scale where the table has a sheet at several</source>
      <translation>Khung tờ bản đồ: cũng được đánh số lại, và cho biết tỷ lệ của từng thửa khi bảng có một tờ ở nhiều tỷ lệ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="752" />
      <source>Sheet reference table</source>
      <translation>Bảng đối chiếu số tờ bản đồ cũ – mới</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="158" />
      <source>Sheets</source>
      <translation>Tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="157" />
      <source>Sheets to number (checked)</source>
      <translation>Các tờ bản đồ cần đánh số (đã đánh dấu)</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="753" />
      <source>Tables (*.csv *.xlsx *.xlsm *.txt)</source>
      <translation>Bảng (*.csv *.xlsx *.xlsm *.txt)</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="853" />
      <source>The change table could not be written: {0}</source>
      <translation>Không ghi được bảng thay đổi: {0}</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="846" />
      <source>The corrected register could not be written: {0}</source>
      <translation>Không ghi được bản sao sổ mục kê đã sửa: {0}</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="894" />
      <source>The field {0} is numeric and cannot hold {1}</source>
      <translation>Trường {0} là kiểu số, không chứa được {1}</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="442" />
      <source>The layer {0} cannot be edited</source>
      <translation>Không thể chỉnh sửa lớp {0}</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="483" />
      <source>The renumbering table could not be written: {0}</source>
      <translation>Không thể ghi bảng đánh số lại: {0}</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="560" />
      <source>{0} codes written. Duplicates: {1}, stale: {2}</source>
      <translation>Đã ghi {0} mã. Trùng: {1}, lỗi thời: {2}</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="485" />
      <source>{0} numbers changed (Ctrl+Z undoes); table: {1}</source>
      <translation>Đã đổi {0} số thửa (Ctrl+Z để hoàn tác); bảng: {1}</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="855" />
      <source>{0} parcels and {1} sheet frames renumbered (Ctrl+Z undoes); change table: {2}</source>
      <translation>Đã đánh số lại {0} thửa và {1} khung tờ (Ctrl+Z để hoàn tác); bảng thay đổi: {2}</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="370" />
      <source>{0} parcels numbered on {1} sheets, {2} numbers change</source>
      <translation>Đã đánh số {0} thửa đất trên {1} tờ bản đồ, {2} số thửa thay đổi</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="487" />
      <source>{0} parcels renumbered</source>
      <translation>Đã đánh số lại {0} thửa đất</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="932" />
      <source>{0} parcels renumbered (Ctrl+Z undoes)</source>
      <translation>Đã đánh số lại {0} thửa (Ctrl+Z để hoàn tác)</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="858" />
      <source>{0} parcels renumbered after the merger</source>
      <translation>Đã đánh số lại {0} thửa sau sáp nhập</translation>
    </message>
    <message>
      <location filename="../ui/codes_dock.py" line="732" />
      <source>{0} sheets in the reference table</source>
      <translation>{0} tờ trong bảng đối chiếu</translation>
    </message>
  </context>
  <context>
    <name>ExportReportAlgorithm</name>
    <message>
      <location filename="../processing_provider/export_report.py" line="41" />
      <source>&lt;p&gt;Writes the Excel report of a flags file: every flag with its review status and comment, the newest run's figures per sheet (parcels, matched, flagged, clean, clean %), counts per code, and the run's settings. Use it after reviewers have worked in the flags file.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Xuất báo cáo Excel của một tệp cờ lỗi: mọi cờ lỗi kèm trạng thái rà soát và ghi chú, số liệu của lần chạy mới nhất theo từng tờ bản đồ (số lượng thửa, đã khớp, có cờ lỗi, sạch, tỷ lệ % sạch), số lượng theo từng mã lỗi và các thiết lập của lần chạy. Dùng sau khi người rà soát đã xử lý các cờ lỗi trong tệp.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../processing_provider/export_report.py" line="51" />
      <source>Excel workbook (*.xlsx)</source>
      <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../processing_provider/export_report.py" line="32" />
      <source>Export report</source>
      <translation>Xuất báo cáo</translation>
    </message>
    <message>
      <location filename="../processing_provider/export_report.py" line="52" />
      <source>Flags</source>
      <translation>Cờ lỗi</translation>
    </message>
    <message>
      <location filename="../processing_provider/export_report.py" line="48" />
      <source>Flags file</source>
      <translation>Tệp cờ lỗi</translation>
    </message>
    <message>
      <location filename="../processing_provider/export_report.py" line="49" />
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <location filename="../processing_provider/export_report.py" line="53" />
      <source>Open flags</source>
      <translation>Cờ lỗi đang mở</translation>
    </message>
    <message>
      <location filename="../processing_provider/export_report.py" line="51" />
      <source>Report</source>
      <translation>Báo cáo</translation>
    </message>
    <message>
      <location filename="../processing_provider/export_report.py" line="35" />
      <source>Reports</source>
      <translation>Báo cáo</translation>
    </message>
  </context>
  <context>
    <name>FieldMappingTable</name>
    <message>
      <location filename="../ui/field_mapping.py" line="146" />
      <source>(none)</source>
      <translation>(không có)</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="34" />
      <source>Address</source>
      <translation>Địa chỉ</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="32" />
      <source>Area</source>
      <translation>Diện tích</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="33" />
      <source>Citizen ID</source>
      <translation>Số CCCD</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="31" />
      <source>Commune code</source>
      <translation>Mã xã</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="47" />
      <source>Field</source>
      <translation>Trường</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="48" />
      <source>How</source>
      <translation>Cách chọn</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="47" />
      <source>Input</source>
      <translation>Đầu vào</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="33" />
      <source>Kind of land user</source>
      <translation>Loại đối tượng sử dụng đất</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="32" />
      <source>Land use</source>
      <translation>Loại đất</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="32" />
      <source>Land user</source>
      <translation>Người sử dụng đất</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="35" />
      <source>Old parcel number</source>
      <translation>Số thửa cũ</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="34" />
      <source>Old sheet number</source>
      <translation>Số tờ cũ</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="31" />
      <source>Parcel number</source>
      <translation>Số thửa</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="26" />
      <source>Parcels</source>
      <translation>Thửa đất</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="26" />
      <source>Register</source>
      <translation>Sổ mục kê</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="47" />
      <source>Role</source>
      <translation>Vai trò</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="35" />
      <source>Scale</source>
      <translation>Tỷ lệ</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="31" />
      <source>Sheet number</source>
      <translation>Số tờ</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="26" />
      <source>Sheets</source>
      <translation>Tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="173" />
      <source>auto</source>
      <translation>tự động</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="171" />
      <source>chosen</source>
      <translation>đã chọn</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="175" />
      <source>needed</source>
      <translation>cần chọn</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="177" />
      <source>not used</source>
      <translation>không dùng</translation>
    </message>
    <message>
      <location filename="../ui/field_mapping.py" line="121" />
      <source>{input}: no field for {roles}</source>
      <translation>{input}: không có trường cho {roles}</translation>
    </message>
  </context>
  <context>
    <name>FixTopologyAlgorithm</name>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="63" />
      <source>&lt;p&gt;Fixes the topology faults of a parcel layer into a &lt;b&gt;corrected copy&lt;/b&gt; (GeoPackage: layer &lt;code&gt;parcels&lt;/code&gt; with every attribute plus &lt;code&gt;source_fid&lt;/code&gt; and &lt;code&gt;fix&lt;/code&gt;, and table &lt;code&gt;changes&lt;/code&gt; with the area of each changed parcel before and after). The source layer is never modified.&lt;/p&gt;&lt;p&gt;In order: invalid polygons made valid without losing area; repeated vertices and spikes removed; boundaries within the tolerance snapped so shared edges become identical; duplicates deleted; each overlap given to one parcel (the one bordering it along more length, or the one whose register area it brings closer); each gap merged into the neighbour with the longest shared edge, split between its neighbours, or made a new parcel without a number; slivers merged into a neighbour. The result is re-checked: the counts left are in the log and outputs.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Sửa các lỗi topology của một lớp thửa đất và ghi kết quả ra một &lt;b&gt;bản sao đã sửa&lt;/b&gt; (GeoPackage: lớp &lt;code&gt;parcels&lt;/code&gt; gồm mọi thuộc tính cùng hai trường &lt;code&gt;source_fid&lt;/code&gt; và &lt;code&gt;fix&lt;/code&gt;, và bảng &lt;code&gt;changes&lt;/code&gt; ghi diện tích trước và sau khi sửa của từng thửa bị thay đổi). Lớp gốc không bao giờ bị sửa đổi.&lt;/p&gt;&lt;p&gt;Thứ tự xử lý: vùng không hợp lệ được sửa thành hợp lệ mà không mất diện tích; xóa đỉnh lặp và gai nhọn; bắt điểm các ranh giới nằm trong phạm vi sai số để các cạnh chung trùng khớp hoàn toàn; xóa vùng trùng lặp; mỗi phần chồng đè được giao cho một thửa (thửa giáp với nó theo chiều dài lớn hơn, hoặc thửa mà khi nhận phần này thì diện tích gần với diện tích trong sổ mục kê hơn); mỗi khe hở được gộp vào thửa liền kề có cạnh chung dài nhất, chia cho các thửa liền kề, hoặc tạo thành thửa mới chưa có số thửa; thửa vụn được gộp vào một thửa liền kề. Kết quả được kiểm tra lại: số lỗi còn lại có trong nhật ký và kết quả đầu ra.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="126" />
      <source>Cancelled: nothing was written.</source>
      <translation>Đã hủy: chưa ghi dữ liệu nào.</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="105" />
      <source>Changes made</source>
      <translation>Số thay đổi đã thực hiện</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="104" />
      <source>Corrected copy</source>
      <translation>Bản sao đã sửa</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="131" />
      <source>Faults after: {0}</source>
      <translation>Số lỗi sau khi sửa: {0}</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="130" />
      <source>Faults before: {0}</source>
      <translation>Số lỗi trước khi sửa: {0}</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="106" />
      <source>Faults left after the fixes</source>
      <translation>Số lỗi còn lại sau khi sửa</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="81" />
      <source>Faults to fix</source>
      <translation>Lỗi cần sửa</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="51" />
      <source>Fix topology</source>
      <translation>Sửa lỗi topology</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="54" />
      <source>Fixes</source>
      <translation>Sửa lỗi</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="98" />
      <source>From the sheet layer, else 1:1000</source>
      <translation>Lấy từ lớp tờ bản đồ, nếu không có thì 1:1000</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="104" />
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="92" />
      <source>How a gap is closed</source>
      <translation>Cách xử lý khe hở</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="97" />
      <source>Map scale (when the sheets do not say)</source>
      <translation>Tỷ lệ bản đồ (khi lớp tờ bản đồ không ghi tỷ lệ)</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="93" />
      <source>Merge into the neighbour with the longest shared edge</source>
      <translation>Gộp vào thửa liền kề có cạnh chung dài nhất</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="94" />
      <source>New parcel without a number</source>
      <translation>Tạo thửa mới chưa có số thửa</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="111" />
      <source>No fault chosen: choose at least one in Faults to fix.</source>
      <translation>Chưa chọn lỗi nào: hãy chọn ít nhất một lỗi trong mục Lỗi cần sửa.</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="77" />
      <source>Parcel layer</source>
      <translation>Lớp thửa đất</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="136" />
      <source>Parcels (fixed)</source>
      <translation>Thửa đất (đã sửa)</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="89" />
      <source>Register (for the register-area rule)</source>
      <translation>Sổ mục kê (cho quy tắc theo diện tích sổ mục kê)</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="90" />
      <source>Registers (*.xlsx *.xlsm *.csv *.txt);;All files (*.*)</source>
      <translation>Sổ mục kê (*.xlsx *.xlsm *.csv *.txt);;Tất cả các tệp (*.*)</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="79" />
      <source>Sheet frames (scale per sheet)</source>
      <translation>Khung tờ bản đồ (tỷ lệ của từng tờ)</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="101" />
      <source>Snapping tolerance in metres (0: by scale)</source>
      <translation>Sai số bắt điểm, tính bằng mét (0: theo tỷ lệ bản đồ)</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="94" />
      <source>Split between the neighbours</source>
      <translation>Chia cho các thửa liền kề</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="85" />
      <source>The parcel bordering it along more length</source>
      <translation>Thửa giáp với phần chồng đè theo chiều dài lớn hơn</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="86" />
      <source>The parcel whose register area it brings closer (needs the register)</source>
      <translation>Thửa mà khi nhận phần này thì diện tích gần với diện tích trong sổ mục kê hơn (cần sổ mục kê)</translation>
    </message>
    <message>
      <location filename="../processing_provider/fix_topology.py" line="84" />
      <source>Who keeps an overlap</source>
      <translation>Thửa nào nhận phần chồng đè</translation>
    </message>
  </context>
  <context>
    <name>FlagsLayer</name>
    <message>
      <location filename="../ui/flags_layer.py" line="35" />
      <source>Error</source>
      <translation>Lỗi</translation>
    </message>
    <message>
      <location filename="../ui/flags_layer.py" line="50" />
      <source>Flags</source>
      <translation>Cờ lỗi</translation>
    </message>
    <message>
      <location filename="../ui/flags_layer.py" line="37" />
      <source>Info</source>
      <translation>Thông tin</translation>
    </message>
    <message>
      <location filename="../ui/flags_layer.py" line="36" />
      <source>Warning</source>
      <translation>Cảnh báo</translation>
    </message>
  </context>
  <context>
    <name>FlagsTableModel</name>
    <message>
      <location filename="../ui/flags_model.py" line="22" />
      <source>Code</source>
      <translation>Mã lỗi</translation>
    </message>
    <message>
      <location filename="../ui/flags_model.py" line="24" />
      <source>Message</source>
      <translation>Nội dung</translation>
    </message>
    <message>
      <location filename="../ui/flags_model.py" line="23" />
      <source>Parcel</source>
      <translation>Thửa</translation>
    </message>
    <message>
      <location filename="../ui/flags_model.py" line="22" />
      <source>Severity</source>
      <translation>Mức độ</translation>
    </message>
    <message>
      <location filename="../ui/flags_model.py" line="23" />
      <source>Sheet</source>
      <translation>Tờ</translation>
    </message>
    <message>
      <location filename="../ui/flags_model.py" line="24" />
      <source>Status</source>
      <translation>Trạng thái</translation>
    </message>
    <message>
      <location filename="../ui/flags_model.py" line="106" />
      <source>Suggestion: </source>
      <translation>Gợi ý: </translation>
    </message>
    <message>
      <location filename="../ui/flags_model.py" line="28" />
      <source>error</source>
      <translation>lỗi</translation>
    </message>
    <message>
      <location filename="../ui/flags_model.py" line="30" />
      <source>exception</source>
      <translation>ngoại lệ</translation>
    </message>
    <message>
      <location filename="../ui/flags_model.py" line="30" />
      <source>fixed</source>
      <translation>đã sửa</translation>
    </message>
    <message>
      <location filename="../ui/flags_model.py" line="29" />
      <source>info</source>
      <translation>thông tin</translation>
    </message>
    <message>
      <location filename="../ui/flags_model.py" line="31" />
      <source>obsolete</source>
      <translation>lỗi thời</translation>
    </message>
    <message>
      <location filename="../ui/flags_model.py" line="29" />
      <source>open</source>
      <translation>mở</translation>
    </message>
    <message>
      <location filename="../ui/flags_model.py" line="28" />
      <source>warning</source>
      <translation>cảnh báo</translation>
    </message>
  </context>
  <context>
    <name>GeometryDock</name>
    <message>
      <location filename="../ui/geometry_dock.py" line="518" />
      <source>(new parcel)</source>
      <translation>(thửa mới)</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="262" />
      <source>All sheets</source>
      <translation>Mọi tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="160" />
      <source>Apply</source>
      <translation>Áp dụng</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="595" />
      <source>Apply these fixes?</source>
      <translation>Áp dụng các cách sửa này?</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="594" />
      <source>Apply to all of this kind</source>
      <translation>Áp dụng cho mọi lỗi cùng loại</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="162" />
      <source>Apply to all of this kind…</source>
      <translation>Áp dụng cho mọi lỗi cùng loại…</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="193" />
      <source>Area after (m²)</source>
      <translation>Diện tích sau (m²)</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="192" />
      <source>Area before (m²)</source>
      <translation>Diện tích trước (m²)</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="395" />
      <source>Choose a flag and a fix first.</source>
      <translation>Hãy chọn một cờ lỗi và một cách sửa trước.</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="415" />
      <source>Choose a flag first.</source>
      <translation>Hãy chọn một cờ lỗi trước.</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="144" />
      <source>Code</source>
      <translation>Mã lỗi</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="112" />
      <source>Correct geometry</source>
      <translation>Sửa hình học</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="235" />
      <source>Delete the duplicate</source>
      <translation>Xóa bản trùng</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="163" />
      <source>Fix every open flag of this code in the sheet, in one undo step</source>
      <translation>Sửa mọi cờ lỗi còn mở có mã này trong tờ bản đồ, trong một bước hoàn tác</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="583" />
      <source>Fix {code} {key}</source>
      <translation>Sửa {code} {key}</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="581" />
      <source>Fix {n} {code} flag(s)</source>
      <translation>Sửa {n} cờ lỗi {code}</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="627" />
      <source>Fixed in the edit buffer ({what})</source>
      <translation>Đã sửa trong bộ đệm chỉnh sửa ({what})</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="223" />
      <source>Give the overlap by the register area</source>
      <translation>Giao phần chồng đè theo diện tích trong sổ mục kê</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="224" />
      <source>Give the overlap to the first parcel (a)</source>
      <translation>Giao phần chồng đè cho thửa thứ nhất (a)</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="222" />
      <source>Give the overlap to the parcel with the longest shared edge</source>
      <translation>Giao phần chồng đè cho thửa có cạnh chung dài nhất</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="225" />
      <source>Give the overlap to the second parcel (b)</source>
      <translation>Giao phần chồng đè cho thửa thứ hai (b)</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="156" />
      <source>How to fix the chosen flag</source>
      <translation>Cách sửa cờ lỗi đã chọn</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="653" />
      <source>Layer {layer} cannot be edited.</source>
      <translation>Không thể chỉnh sửa lớp {layer}.</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="665" />
      <source>Layer {layer} refused the change.</source>
      <translation>Lớp {layer} không chấp nhận thay đổi.</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="228" />
      <source>Make the gap a new parcel</source>
      <translation>Biến khe hở thành thửa mới</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="231" />
      <source>Make the geometry valid</source>
      <translation>Làm cho hình học hợp lệ</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="230" />
      <source>Merge into the largest neighbour</source>
      <translation>Gộp vào thửa liền kề lớn nhất</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="229" />
      <source>Merge into the neighbour with the longest shared edge</source>
      <translation>Gộp vào thửa liền kề có cạnh chung dài nhất</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="226" />
      <source>Merge the gap into the neighbour with the longest edge</source>
      <translation>Gộp khe hở vào thửa liền kề có cạnh chung dài nhất</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="145" />
      <source>Message</source>
      <translation>Nội dung</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="430" />
      <source>None of the {n} flags can be fixed this way.</source>
      <translation>Không có cờ lỗi nào trong {n} cờ lỗi sửa được theo cách này.</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="463" />
      <source>Nothing to snap within {tol} m.</source>
      <translation>Không có gì để bắt điểm trong phạm vi {tol} m.</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="144" />
      <source>Parcel</source>
      <translation>Thửa</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="158" />
      <source>Preview</source>
      <translation>Xem trước</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="178" />
      <source>Preview snap</source>
      <translation>Xem trước bắt điểm</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="625" />
      <source>Re-check failed: {error}</source>
      <translation>Kiểm tra lại thất bại: {error}</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="234" />
      <source>Remove repeated vertices</source>
      <translation>Xóa các đỉnh lặp</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="233" />
      <source>Remove the spike</source>
      <translation>Xóa gai nhọn</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="447" />
      <source>Select the parcels to snap first.</source>
      <translation>Hãy chọn các thửa đất cần bắt điểm trước.</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="263" />
      <source>Selected parcels</source>
      <translation>Các thửa đã chọn</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="144" />
      <source>Sheet</source>
      <translation>Tờ</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="265" />
      <source>Sheet {sheet}</source>
      <translation>Tờ {sheet}</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="179" />
      <source>Show how the selected parcels and their neighbours would snap</source>
      <translation>Hiện cách các thửa đã chọn và các thửa liền kề sẽ được bắt điểm</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="159" />
      <source>Show the fix on the map without changing anything</source>
      <translation>Hiện cách sửa trên bản đồ mà không thay đổi gì</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="139" />
      <source>Show the geometry flags of this sheet, or of the selected parcels</source>
      <translation>Hiện các cờ lỗi hình học của tờ bản đồ này, hoặc của các thửa đã chọn</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="181" />
      <source>Snap selection</source>
      <translation>Bắt điểm vùng chọn</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="182" />
      <source>Snap the selected parcels and their neighbours onto each other (one undo step)</source>
      <translation>Bắt điểm các thửa đã chọn và các thửa liền kề vào nhau (một bước hoàn tác)</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="232" />
      <source>Snap the shared boundary</source>
      <translation>Bắt điểm ranh giới chung</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="579" />
      <source>Snap {n} parcel(s)</source>
      <translation>Bắt điểm {n} thửa</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="184" />
      <source>Snap:</source>
      <translation>Bắt điểm:</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="467" />
      <source>Snapping moves {n} parcel(s), {area:.4f} m² moved. {notes}</source>
      <translation>Bắt điểm làm dịch chuyển {n} thửa, {area:.4f} m² bị dịch chuyển. {notes}</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="176" />
      <source>Snapping tolerance (default: the positional accuracy of the map scale)</source>
      <translation>Sai số bắt điểm (mặc định: độ chính xác vị trí theo tỷ lệ bản đồ)</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="227" />
      <source>Split the gap between its neighbours</source>
      <translation>Chia khe hở cho các thửa liền kề</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="400" />
      <source>This fix cannot be made: {reason}</source>
      <translation>Không thể thực hiện cách sửa này: {reason}</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="161" />
      <source>Write the fix into the layer's edit buffer (Ctrl+Z undoes it)</source>
      <translation>Ghi cách sửa vào bộ đệm chỉnh sửa của lớp (Ctrl+Z để hoàn tác)</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="436" />
      <source>{code}: {done} of {n} flags fixed by this method ({failed} cannot be); {parcels} parcel(s) change, {added} new, {removed} removed; {area:.2f} m² moved in total.</source>
      <translation>{code}: đã sửa {done} trong {n} cờ lỗi bằng cách này ({failed} không sửa được); {parcels} thửa thay đổi, {added} thửa mới, {removed} thửa bị xóa; tổng cộng {area:.2f} m² được dịch chuyển.</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="642" />
      <source>{n} flag(s) still found after the fix stay open.</source>
      <translation>{n} cờ lỗi vẫn còn phát hiện sau khi sửa nên vẫn để mở.</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="404" />
      <source>{n} parcel(s) change, {area:.2f} m² moved. {notes}</source>
      <translation>{n} thửa thay đổi, {area:.2f} m² được dịch chuyển. {notes}</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="520" />
      <source>{parcel} (removed)</source>
      <translation>{parcel} (đã xóa)</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="639" />
      <source>{text}: done; {fixed} flag(s) fixed. Save the layer's edits to keep the change; Ctrl+Z undoes it.</source>
      <translation>{text}: xong; đã sửa {fixed} cờ lỗi. Hãy lưu chỉnh sửa của lớp để giữ thay đổi; Ctrl+Z để hoàn tác.</translation>
    </message>
    <message>
      <location filename="../ui/geometry_dock.py" line="193" />
      <source>Δ (m²)</source>
      <translation>Δ (m²)</translation>
    </message>
  </context>
  <context>
    <name>LoadSheetsAlgorithm</name>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="101" />
      <source>&lt;p&gt;Reads a commune's map sheets — one file per sheet: shapefile, GeoPackage, MapInfo, GML, or DXF / DGN v7 drawings — and writes one GeoPackage whose &lt;b&gt;parcels&lt;/b&gt; layer goes straight into the checks. Sources are only read.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Drawings&lt;/b&gt;: parcels are built from the boundary lines (level 10) and take their number, land use and area from the text labels inside them (levels 13, 2, 4); give a JSON level mapping for other levels or DXF layer names.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Sheet number&lt;/b&gt;: from a sheet field, else the file name (To_12, T12, BD12, 12, Tờ 12, TĐ03-2014, a Circular 25 code). &lt;b&gt;Commune&lt;/b&gt;: a field, else the commune given here, else a 5-digit folder name.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Output&lt;/b&gt;: layers parcels, sheets (frames), load_report (one row per file) and the flags below, in the same file.&lt;/p&gt;&lt;ul&gt;</source>
      <translation>&lt;p&gt;Đọc các tờ bản đồ của một xã — mỗi tờ bản đồ một tệp: shapefile, GeoPackage, MapInfo, GML, hoặc bản vẽ DXF / DGN v7 — và ghi ra một tệp GeoPackage có lớp &lt;b&gt;parcels&lt;/b&gt; dùng được ngay cho các phép kiểm tra. Các tệp nguồn chỉ được đọc, không bị sửa đổi.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Bản vẽ&lt;/b&gt;: thửa đất được tạo từ các đường ranh giới thửa (level 10) và lấy số thửa, loại đất, diện tích từ các nhãn (chữ ghi chú) nằm bên trong thửa (level 13, 2, 4); với các level (lớp) khác hoặc tên layer DXF, hãy cung cấp tệp JSON ánh xạ level.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Số tờ&lt;/b&gt;: lấy từ trường số tờ, nếu không có thì từ tên tệp (To_12, T12, BD12, 12, Tờ 12, TĐ03-2014, mã theo Thông tư 25). &lt;b&gt;Xã&lt;/b&gt;: lấy từ trường mã xã, nếu không có thì theo mã xã nhập ở đây, nếu vẫn không có thì theo tên thư mục gồm 5 chữ số.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kết quả&lt;/b&gt;: các lớp parcels, sheets (khung tờ bản đồ), load_report (mỗi tệp một dòng) và các cờ lỗi dưới đây, trong cùng một tệp.&lt;/p&gt;&lt;ul&gt;</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="173" />
      <source>Cancelled: nothing was written.</source>
      <translation>Đã hủy: chưa ghi dữ liệu nào.</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="121" />
      <source>Commune code (when neither a field nor the folder name says)</source>
      <translation>Mã xã (khi không có trường mã xã và tên thư mục cũng không cho biết)</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="89" />
      <source>Data preparation</source>
      <translation>Chuẩn bị dữ liệu</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="144" />
      <source>Files</source>
      <translation>Số lượng tệp</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="148" />
      <source>Flags</source>
      <translation>Cờ lỗi</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="116" />
      <source>Folder of sheet files (searched with its subfolders)</source>
      <translation>Thư mục chứa các tệp tờ bản đồ (tìm cả trong các thư mục con)</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="134" />
      <source>From the files</source>
      <translation>Lấy từ các tệp</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="143" />
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="157" />
      <source>Give a folder of sheet files, or the files.</source>
      <translation>Hãy chọn thư mục chứa các tệp tờ bản đồ, hoặc chọn các tệp.</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="147" />
      <source>Legacy text values converted</source>
      <translation>Số giá trị chữ đã chuyển từ bảng mã cũ (TCVN3, VNI)</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="136" />
      <source>Level mapping of drawings (JSON)</source>
      <translation>Ánh xạ level (lớp) của bản vẽ (JSON)</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="86" />
      <source>Load cadastral sheets</source>
      <translation>Nạp tờ bản đồ địa chính</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="143" />
      <source>Loaded sheets</source>
      <translation>Tờ bản đồ đã nạp</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="133" />
      <source>Map scale (when the files do not say)</source>
      <translation>Tỷ lệ bản đồ (khi các tệp không ghi tỷ lệ)</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="128" />
      <source>None: the CRS above, else what the files declare</source>
      <translation>Không chọn: dùng hệ tọa độ ở trên, nếu không thì theo khai báo trong tệp</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="124" />
      <source>Output CRS (empty: the province's, else what the files declare)</source>
      <translation>Hệ tọa độ đầu ra (để trống: hệ tọa độ của tỉnh, nếu không có thì hệ tọa độ khai báo trong các tệp)</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="146" />
      <source>Parcels</source>
      <translation>Số lượng thửa</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="191" />
      <source>Parcels (loaded)</source>
      <translation>Thửa đất (đã nạp)</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="127" />
      <source>Province (its VN-2000 TM-3 zone; old codes, with the 2025 successor)</source>
      <translation>Tỉnh (múi chiếu VN-2000 TM-3 của tỉnh; mã tỉnh cũ, kèm tỉnh mới sau sáp nhập 2025)</translation>
    </message>
    <message>
      <source>Province code (its VN-2000 TM-3 zone)</source>
      <translation type="obsolete">Mã tỉnh (xác định múi chiếu VN-2000 TM-3 theo kinh tuyến trục của tỉnh)</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="141" />
      <source>Reproject files that declare another CRS</source>
      <translation>Chuyển đổi hệ tọa độ cho các tệp khai báo hệ tọa độ khác</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="119" />
      <source>Sheet files</source>
      <translation>Các tệp tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="146" />
      <source>Sheets</source>
      <translation>Số lượng tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="131" />
      <source>Text encoding</source>
      <translation>Bảng mã chữ</translation>
    </message>
    <message>
      <location filename="../processing_provider/load_sheets.py" line="145" />
      <source>Unreadable files</source>
      <translation>Số tệp không đọc được</translation>
    </message>
  </context>
  <context>
    <name>MissingDependenciesPlugin</name>
    <message>
      <location filename="../ui/missing_dependencies.py" line="50" />
      <source>Cadastre Cleaner</source>
      <translation>Cadastre Cleaner</translation>
    </message>
    <message>
      <location filename="../ui/missing_dependencies.py" line="27" />
      <source>Cadastre Cleaner cannot start: the Python that QGIS uses lacks {packages}. Install them, then restart QGIS.</source>
      <translation>Cadastre Cleaner không khởi động được: Python mà QGIS đang dùng thiếu {packages}. Hãy cài đặt các gói này rồi khởi động lại QGIS.</translation>
    </message>
    <message>
      <location filename="../ui/missing_dependencies.py" line="32" />
      <source>Missing:
{reasons}

Windows: open the OSGeo4W Shell (Start menu, as administrator) and run
  python -m pip install "shapely&gt;=2" pandas

Debian / Ubuntu: run
  python3 -m pip install --user "shapely&gt;=2" pandas
(keep numpy at the system's version), or start QGIS from a virtual environment made with --system-site-packages that has them.

macOS and others: install them into the Python that QGIS runs (Python console: import sys; sys.executable).</source>
      <translation>Còn thiếu:
{reasons}

Windows: mở OSGeo4W Shell (trong menu Start, chạy với quyền quản trị) và chạy
  python -m pip install "shapely&gt;=2" pandas

Debian / Ubuntu: chạy
  python3 -m pip install --user "shapely&gt;=2" pandas
(giữ nguyên phiên bản numpy của hệ thống), hoặc khởi động QGIS từ một môi trường ảo tạo bằng --system-site-packages có sẵn các gói này.

macOS và các hệ điều hành khác: cài các gói này vào Python mà QGIS đang chạy (trong Python console: import sys; sys.executable).</translation>
    </message>
  </context>
  <context>
    <name>NumberParcelsAlgorithm</name>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="89" />
      <source>&lt;p&gt;Numbers parcels 1…n on each sheet from the north-west in zig-zag bands: the first band west → east, the next east → west. A parcel belongs to the band holding a point inside it.&lt;/p&gt;&lt;p&gt;Modes: &lt;b&gt;fill missing&lt;/b&gt; numbers only parcels without one, after the sheet's largest number; &lt;b&gt;renumber all&lt;/b&gt; numbers every parcel again; &lt;b&gt;after a split or merge&lt;/b&gt; gives the parcels whose number is missing or used twice on the sheet the sheet's max + 1, max + 2… and keeps the others.&lt;/p&gt;&lt;p&gt;Writes a &lt;b&gt;copy&lt;/b&gt; (GeoPackage: layer &lt;code&gt;parcels&lt;/code&gt;, the previous numbers of renumbered parcels in the old-number field, table &lt;code&gt;renumbering&lt;/code&gt; old → new). The source layer is never modified.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Đánh số thứ tự thửa theo đường zích zắc từ 1 đến n trên mỗi tờ bản đồ, bắt đầu từ góc tây bắc theo từng dải: dải thứ nhất từ tây sang đông, dải tiếp theo từ đông sang tây. Thửa đất thuộc dải chứa một điểm nằm trong thửa.&lt;/p&gt;&lt;p&gt;Chế độ: &lt;b&gt;bổ sung số còn thiếu&lt;/b&gt; chỉ đánh số cho các thửa chưa có số thửa, tiếp sau số thửa lớn nhất của tờ; &lt;b&gt;đánh số lại toàn bộ&lt;/b&gt; đánh số lại mọi thửa; &lt;b&gt;sau khi tách hoặc hợp thửa&lt;/b&gt; gán cho các thửa thiếu số thửa hoặc bị trùng số thửa trên tờ các số max + 1, max + 2… của tờ và giữ nguyên các thửa khác.&lt;/p&gt;&lt;p&gt;Ghi ra một &lt;b&gt;bản sao&lt;/b&gt; (GeoPackage: lớp &lt;code&gt;parcels&lt;/code&gt;, số thửa cũ của các thửa được đánh số lại ghi trong trường số thửa cũ, bảng &lt;code&gt;renumbering&lt;/code&gt; cũ → mới). Lớp nguồn không bao giờ bị thay đổi.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="119" />
      <source>After a split or merge (missing or duplicated numbers take max + 1)</source>
      <translation>Sau khi tách hoặc hợp thửa (thửa thiếu số hoặc trùng số nhận số max + 1)</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="125" />
      <source>Band height in metres (0: a tenth of the sheet side)</source>
      <translation>Chiều cao dải, tính bằng mét (0: một phần mười cạnh tờ bản đồ)</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="162" />
      <source>Cancelled: nothing was written.</source>
      <translation>Đã hủy: chưa ghi dữ liệu nào.</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="118" />
      <source>Fill missing numbers</source>
      <translation>Bổ sung số thửa còn thiếu</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="128" />
      <source>First number</source>
      <translation>Số thửa bắt đầu</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="80" />
      <source>Fixes</source>
      <translation>Sửa lỗi</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="131" />
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="122" />
      <source>Map scale (for the default band height)</source>
      <translation>Tỷ lệ bản đồ (để tính chiều cao dải mặc định)</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="117" />
      <source>Mode</source>
      <translation>Chế độ</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="77" />
      <source>Number parcels</source>
      <translation>Đánh số thửa</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="131" />
      <source>Numbered copy</source>
      <translation>Bản sao đã đánh số thửa</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="133" />
      <source>Numbers changed</source>
      <translation>Số lượng số thửa đã thay đổi</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="112" />
      <source>Old-number field</source>
      <translation>Trường số thửa cũ</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="101" />
      <source>Parcel layer</source>
      <translation>Lớp thửa đất</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="109" />
      <source>Parcel number field (empty: found by name)</source>
      <translation>Trường số thửa (để trống: tìm theo tên trường)</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="173" />
      <source>Parcels (numbered)</source>
      <translation>Thửa đất (đã đánh số)</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="132" />
      <source>Parcels numbered</source>
      <translation>Số thửa đất đã được đánh số</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="118" />
      <source>Renumber all</source>
      <translation>Đánh số lại toàn bộ</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="151" />
      <source>Sheet field {0}, number field {1}</source>
      <translation>Trường số tờ {0}, trường số thửa {1}</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="103" />
      <source>Sheet frames (bands start at the frame's north edge, height by its scale)</source>
      <translation>Khung tờ bản đồ (dải bắt đầu từ cạnh bắc của khung, chiều cao theo tỷ lệ)</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="106" />
      <source>Sheet number field (empty: found by name)</source>
      <translation>Trường số tờ (để trống: tìm theo tên trường)</translation>
    </message>
    <message>
      <location filename="../processing_provider/number_parcels.py" line="114" />
      <source>Sheets to number (comma-separated; empty: all)</source>
      <translation>Các tờ bản đồ cần đánh số (cách nhau bằng dấu phẩy; để trống: mọi tờ)</translation>
    </message>
  </context>
  <context>
    <name>Phrases</name>
    <message>
      <location filename="../core/topology/gaps.py" line="108" />
      <source> (a micro gap of {0:.3f} m²)</source>
      <translation> (khe hở rất nhỏ {0:.3f} m²)</translation>
    </message>
    <message>
      <location filename="../core/topology/noding.py" line="112" />
      <source> (a micro overlap of {0:.3f} m²)</source>
      <translation> (chồng đè rất nhỏ {0:.3f} m²)</translation>
    </message>
    <message>
      <location filename="../core/topology/noding.py" line="111" />
      <source> (a micro overlap of {0:.3f} m², up to {1:.3f} m off)</source>
      <translation> (chồng đè rất nhỏ {0:.3f} m², lệch tối đa {1:.3f} m)</translation>
    </message>
    <message>
      <location filename="../core/topology/noding.py" line="164" />
      <source> ({0} parcel pairs along the sheet edge)</source>
      <translation> ({0} cặp thửa dọc theo cạnh tờ bản đồ)</translation>
    </message>
    <message>
      <location filename="../core/register/prepare.py" line="124" />
      <source>Map</source>
      <translation>Bản đồ</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_apply.py" line="44" />
      <source>Parcels</source>
      <translation>Thửa đất</translation>
    </message>
    <message>
      <location filename="../core/topology/gaps.py" line="107" />
      <source>Parcels {0} and {1}</source>
      <translation>Thửa {0} và {1}</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_apply.py" line="45" />
      <source>Register</source>
      <translation>Sổ mục kê</translation>
    </message>
    <message>
      <location filename="../core/register/prepare.py" line="268" />
      <source>Register row {0}</source>
      <translation>Dòng {0} của sổ mục kê</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_apply.py" line="44" />
      <source>Sheet frames</source>
      <translation>Khung tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../core/topology/noding.py" line="162" />
      <source>Sheets {0} and {1}</source>
      <translation>Tờ {0} và {1}</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="257" />
      <source>a commune code in force before the 2025 merger</source>
      <translation>mã xã có hiệu lực trước khi sáp nhập năm 2025</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="258" />
      <source>a commune code in force since 1 July 2025</source>
      <translation>mã xã có hiệu lực từ ngày 1/7/2025</translation>
    </message>
    <message>
      <location filename="../core/register/numbers.py" line="14" />
      <source>a digit added or dropped</source>
      <translation>thừa hoặc thiếu một chữ số</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="239" />
      <source>a new parcel number is given without the old one (soThuTuThuaCu)</source>
      <translation>có số thửa mới nhưng không có số thửa cũ (soThuTuThuaCu)</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="260" />
      <source>a province code in force before the 2025 merger</source>
      <translation>mã tỉnh có hiệu lực trước khi sáp nhập năm 2025</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="262" />
      <source>a province code in force since 1 July 2025</source>
      <translation>mã tỉnh có hiệu lực từ ngày 1/7/2025</translation>
    </message>
    <message>
      <location filename="../core/register/prepare.py" line="184" />
      <source>among the parcels of</source>
      <translation>giữa các thửa của</translation>
    </message>
    <message>
      <location filename="../core/topology/shape.py" line="27" />
      <source>an empty</source>
      <translation>rỗng</translation>
    </message>
    <message>
      <location filename="../core/register/reconcile.py" line="418" />
      <source>an obsolete code (older list)</source>
      <translation>mã đã lỗi thời (danh mục cũ)</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="221" />
      <source>any scale</source>
      <translation>mọi tỷ lệ</translation>
    </message>
    <message>
      <location filename="../core/topology/gaps.py" line="108" />
      <source>apart</source>
      <translation>tách rời</translation>
    </message>
    <message>
      <location filename="../core/register/reconcile.py" line="401" />
      <source>decimal point shifted?</source>
      <translation>lệch dấu thập phân?</translation>
    </message>
    <message>
      <location filename="../core/topology/overlaps.py" line="105" />
      <source>delete one of {0} and {1}</source>
      <translation>xóa một trong hai thửa {0} và {1}</translation>
    </message>
    <message>
      <location filename="../core/register/reconcile.py" line="272" />
      <source>delete row {0}: identical to row {1}</source>
      <translation>xóa dòng {0}: giống hệt dòng {1}</translation>
    </message>
    <message>
      <location filename="../core/loading/load.py" line="571" />
      <source>delete the wrong number label, or draw the missing boundary between the two parcels</source>
      <translation>xóa nhãn số thửa bị sai, hoặc vẽ bổ sung đường ranh giới thửa còn thiếu giữa hai thửa</translation>
    </message>
    <message>
      <location filename="../core/register/reconcile.py" line="405" />
      <source>digits swapped?</source>
      <translation>đảo chỗ chữ số?</translation>
    </message>
    <message>
      <location filename="../core/loading/load.py" line="577" />
      <source>ends without closing a parcel</source>
      <translation>là đường treo (không khép kín), kết thúc mà không khép kín thửa nào</translation>
    </message>
    <message>
      <location filename="../core/topology/noding.py" line="163" />
      <source>exactly on the edges of parcels of the other sheet</source>
      <translation>đúng trên cạnh của các thửa thuộc tờ kia</translation>
    </message>
    <message>
      <location filename="../core/topology/noding.py" line="133" />
      <source>exactly on the other's edge</source>
      <translation>đúng trên cạnh của thửa kia</translation>
    </message>
    <message>
      <location filename="../core/loading/load.py" line="587" />
      <source>extend the line to the boundary it should meet, or delete it</source>
      <translation>kéo dài đường đến ranh giới mà nó cần nối tới, hoặc xóa đường này</translation>
    </message>
    <message>
      <location filename="../core/loading/load.py" line="579" />
      <source>forms a ring that is not a valid polygon</source>
      <translation>tạo thành vòng khép kín nhưng không phải là vùng hợp lệ</translation>
    </message>
    <message>
      <location filename="../core/loading/load.py" line="613" />
      <source>give the right --crs or --province, or fix the file's .prj</source>
      <translation>chỉ định đúng --crs hoặc --province, hoặc sửa tệp .prj đi kèm tệp dữ liệu</translation>
    </message>
    <message>
      <location filename="../core/topology/overlaps.py" line="95" />
      <source>give the shared area to {0} (longest shared edge)</source>
      <translation>giao phần chồng đè cho {0} (cạnh chung dài nhất)</translation>
    </message>
    <message>
      <location filename="../core/topology/noding.py" line="135" />
      <source>insert the vertices (node)</source>
      <translation>chèn thêm đỉnh (bắt điểm)</translation>
    </message>
    <message>
      <location filename="../core/register/reconcile.py" line="255" />
      <source>keep: this parcel fits the register row of the number</source>
      <translation>giữ nguyên: thửa này khớp với dòng sổ mục kê mang số thửa đó</translation>
    </message>
    <message>
      <location filename="../core/topology/shape.py" line="48" />
      <source>make valid</source>
      <translation>sửa thành hình học hợp lệ</translation>
    </message>
    <message>
      <location filename="../core/topology/shape.py" line="152" />
      <source>merge into the neighbour with the longest shared edge</source>
      <translation>gộp vào thửa liền kề có cạnh chung dài nhất</translation>
    </message>
    <message>
      <location filename="../core/topology/gaps.py" line="85" />
      <source>merge into {0} (longest shared edge)</source>
      <translation>gộp vào {0} (cạnh chung dài nhất)</translation>
    </message>
    <message>
      <location filename="../core/topology/noding.py" line="110" />
      <source>near the other's edge</source>
      <translation>gần cạnh của thửa kia</translation>
    </message>
    <message>
      <location filename="../core/topology/overlaps.py" line="103" />
      <source>nearly the same</source>
      <translation>gần trùng nhau</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="301" />
      <source>new commune</source>
      <translation>xã mới</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="258" />
      <source>new commune code</source>
      <translation>mã xã mới</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="262" />
      <source>new province code</source>
      <translation>mã tỉnh mới</translation>
    </message>
    <message>
      <location filename="../core/topology/shape.py" line="27" />
      <source>no</source>
      <translation>không có</translation>
    </message>
    <message>
      <location filename="../core/register/citizen_id.py" line="21" />
      <source>no ID number</source>
      <translation>không có số CCCD/CMND</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="291" />
      <source>no commune</source>
      <translation>không xã nào</translation>
    </message>
    <message>
      <location filename="../core/topology/noding.py" line="167" />
      <source>node the sheet edge (insert the vertices)</source>
      <translation>bắt điểm cạnh tờ bản đồ (chèn thêm đỉnh)</translation>
    </message>
    <message>
      <location filename="../core/topology/shape.py" line="54" />
      <source>not a polygon but a {0}</source>
      <translation>không phải vùng mà là {0}</translation>
    </message>
    <message>
      <location filename="../core/register/reconcile.py" line="418" />
      <source>not in the land-use code list</source>
      <translation>không có trong danh mục mã loại đất</translation>
    </message>
    <message>
      <location filename="../core/register/reconcile.py" line="221" />
      <source>numbers swapped with another parcel of the sheet</source>
      <translation>số thửa bị hoán đổi với một thửa khác trên cùng tờ</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="300" />
      <source>old commune</source>
      <translation>xã cũ</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="257" />
      <source>old commune code</source>
      <translation>mã xã cũ</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="260" />
      <source>old province code</source>
      <translation>mã tỉnh cũ</translation>
    </message>
    <message>
      <location filename="../core/register/numbers.py" line="12" />
      <source>one digit differs</source>
      <translation>khác một chữ số</translation>
    </message>
    <message>
      <location filename="../core/register/reconcile.py" line="406" />
      <source>one digit mistyped?</source>
      <translation>gõ sai một chữ số?</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_apply.py" line="198" />
      <source>parcel layer</source>
      <translation>lớp thửa đất</translation>
    </message>
    <message>
      <location filename="../core/register/prepare.py" line="134" />
      <source>parcel number</source>
      <translation>số thửa</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="390" />
      <source>parcel {0} of </source>
      <translation>thửa {0} </translation>
    </message>
    <message>
      <location filename="../core/loading/load.py" line="560" />
      <source>place the parcel-number text inside it, or remove the line that wrongly splits it</source>
      <translation>đặt nhãn (chữ ghi chú) số thửa vào bên trong vùng, hoặc xóa đường chia cắt vùng sai</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_apply.py" line="198" />
      <source>register</source>
      <translation>sổ mục kê</translation>
    </message>
    <message>
      <location filename="../core/register/reconcile.py" line="231" />
      <source>register row {0}: set sheet {1} (the parcel lies on sheet {1})</source>
      <translation>dòng {0} của sổ mục kê: sửa số tờ thành {1} (thửa nằm trên tờ {1})</translation>
    </message>
    <message>
      <location filename="../core/topology/shape.py" line="105" />
      <source>remove the repeated vertices</source>
      <translation>xóa các đỉnh lặp</translation>
    </message>
    <message>
      <location filename="../core/topology/shape.py" line="134" />
      <source>remove the spike vertex</source>
      <translation>xóa đỉnh gai nhọn</translation>
    </message>
    <message>
      <location filename="../core/loading/load.py" line="418" />
      <source>rename the file or correct the sheet field</source>
      <translation>đổi tên tệp hoặc sửa trường số tờ</translation>
    </message>
    <message>
      <location filename="../core/loading/load.py" line="638" />
      <source>rename the file that holds another sheet, or drop the duplicate</source>
      <translation>đổi tên tệp chứa tờ bản đồ khác, hoặc bỏ tệp trùng lặp</translation>
    </message>
    <message>
      <location filename="../core/loading/load.py" line="578" />
      <source>runs inside a parcel without closing one</source>
      <translation>nằm bên trong một thửa mà không khép kín thửa nào</translation>
    </message>
    <message>
      <location filename="../core/register/reconcile.py" line="222" />
      <source>same parcel number on another sheet</source>
      <translation>cùng số thửa trên tờ khác</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_apply.py" line="189" />
      <source>scale unknown</source>
      <translation>chưa rõ tỷ lệ</translation>
    </message>
    <message>
      <location filename="../core/register/prepare.py" line="329" />
      <source>set ID {0}</source>
      <translation>sửa số CCCD thành {0}</translation>
    </message>
    <message>
      <location filename="../core/register/prepare.py" line="114" />
      <source>set commune code {0}</source>
      <translation>sửa mã xã thành {0}</translation>
    </message>
    <message>
      <location filename="../core/register/reconcile.py" line="253" />
      <source>set parcel number {0} (register row {1} fits its area and land use)</source>
      <translation>sửa số thửa thành {0} (dòng {1} của sổ mục kê khớp về diện tích và loại đất)</translation>
    </message>
    <message>
      <location filename="../core/register/reconcile.py" line="232" />
      <source>set parcel number {0} (register row {1})</source>
      <translation>sửa số thửa thành {0} (dòng {1} của sổ mục kê)</translation>
    </message>
    <message>
      <location filename="../core/register/reconcile.py" line="306" />
      <source>set register area {0:.1f} m²</source>
      <translation>sửa diện tích trong sổ mục kê thành {0:.1f} m²</translation>
    </message>
    <message>
      <location filename="../core/register/prepare.py" line="189" />
      <source>set sheet {0}</source>
      <translation>sửa số tờ thành {0}</translation>
    </message>
    <message>
      <location filename="../core/register/prepare.py" line="141" />
      <source>set sheet {0} (where it lies)</source>
      <translation>sửa số tờ thành {0} (tờ chứa thửa)</translation>
    </message>
    <message>
      <location filename="../core/register/prepare.py" line="134" />
      <source>sheet number</source>
      <translation>số tờ</translation>
    </message>
    <message>
      <location filename="../core/register/prepare.py" line="133" />
      <source>sheet or parcel number</source>
      <translation>số tờ hoặc số thửa</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="391" />
      <source>sheet {0} ({1}) of commune {2}</source>
      <translation>tờ {0} ({1}) xã {2}</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="397" />
      <source>sheet {0} of commune {1}</source>
      <translation>tờ {0} xã {1}</translation>
    </message>
    <message>
      <location filename="../core/topology/gaps.py" line="110" />
      <source>snap the shared boundary</source>
      <translation>bắt điểm ranh giới chung</translation>
    </message>
    <message>
      <location filename="../core/topology/shape.py" line="72" />
      <source>split into separate parcels</source>
      <translation>tách thành các thửa riêng</translation>
    </message>
    <message>
      <location filename="../core/register/citizen_id.py" line="23" />
      <source>the ID number has neither 12 digits (citizen ID) nor 9 (old ID card)</source>
      <translation>số CCCD/CMND không có 12 chữ số (CCCD) cũng không có 9 chữ số (CMND cũ)</translation>
    </message>
    <message>
      <location filename="../core/register/citizen_id.py" line="22" />
      <source>the ID number holds characters other than digits</source>
      <translation>số CCCD/CMND chứa ký tự không phải chữ số</translation>
    </message>
    <message>
      <location filename="../core/register/citizen_id.py" line="25" />
      <source>the ID number lost its leading zero(s), probably stored as a number in Excel: padded with zeros to 12 digits it is a valid citizen ID</source>
      <translation>số CCCD/CMND bị mất (các) chữ số 0 ở đầu, có thể do được lưu dạng số trong Excel: thêm số 0 vào đầu cho đủ 12 chữ số thì là số CCCD hợp lệ</translation>
    </message>
    <message>
      <location filename="../core/register/citizen_id.py" line="30" />
      <source>the century/sex digit and the birth-year digits give a birth year in the future</source>
      <translation>mã thế kỷ/giới tính và các chữ số năm sinh cho ra năm sinh ở tương lai</translation>
    </message>
    <message>
      <location filename="../core/topology/shape.py" line="55" />
      <source>the feature</source>
      <translation>toàn bộ đối tượng</translation>
    </message>
    <message>
      <location filename="../core/register/citizen_id.py" line="28" />
      <source>the first 3 digits are not a province-of-birth-registration code</source>
      <translation>3 chữ số đầu không phải là mã tỉnh nơi đăng ký khai sinh</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="236" />
      <source>the new commune code (xaId) is empty</source>
      <translation>mã xã mới (xaId) để trống</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="237" />
      <source>the new sheet number (soHieuToBanDo) is empty</source>
      <translation>số hiệu tờ bản đồ mới (soHieuToBanDo) để trống</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="234" />
      <source>the old commune code (xaIdCu) is empty</source>
      <translation>mã xã cũ (xaIdCu) để trống</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="235" />
      <source>the old sheet number (soHieuToBanDoCu) is empty</source>
      <translation>số hiệu tờ bản đồ cũ (soHieuToBanDoCu) để trống</translation>
    </message>
    <message>
      <location filename="../core/topology/overlaps.py" line="103" />
      <source>the same</source>
      <translation>trùng nhau</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_table.py" line="240" />
      <source>the scale (tyLe) is not a scale such as 1/500</source>
      <translation>tỷ lệ (tyLe) không phải một tỷ lệ như 1/500</translation>
    </message>
    <message>
      <location filename="../core/register/numbers.py" line="13" />
      <source>two digits swapped</source>
      <translation>hai chữ số bị đảo chỗ</translation>
    </message>
    <message>
      <location filename="../core/register/citizen_id.py" line="20" />
      <source>valid</source>
      <translation>hợp lệ</translation>
    </message>
    <message>
      <location filename="../core/register/prepare.py" line="184" />
      <source>within the frame of</source>
      <translation>trong khung của</translation>
    </message>
    <message>
      <location filename="../core/codes/merger_apply.py" line="180" />
      <source>{0} records, e.g. {1}</source>
      <translation>{0} bản ghi, ví dụ {1}</translation>
    </message>
    <message>
      <location filename="../core/register/reconcile.py" line="224" />
      <source>{0}; area {1:.1f} ≈ {2:.1f} m², land use {3}</source>
      <translation>{0}; diện tích {1:.1f} ≈ {2:.1f} m², loại đất {3}</translation>
    </message>
  </context>
  <context>
    <name>ReconcileRegisterAlgorithm</name>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="97" />
      <source>&lt;p&gt;Matches the parcels of a cadastral map with the rows of its land register by sheet and parcel number, and writes every disagreement as a flag.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Inputs&lt;/b&gt;: the parcel layer (polygons); the register, either as a file (XLSX or CSV) &lt;i&gt;or&lt;/i&gt; as a table layer already loaded (exactly one of the two); optionally the sheet frames (for the scale and the sheet a parcel lies on), the commune code when the map has no commune field, the map scale (sets the area tolerance; by default taken from the sheet layer, else 1:2000) and field overrides.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Fields&lt;/b&gt; are found automatically from the names offices use (SHBANDO, Số tờ, so_to → sheet; SHTHUA, Số thửa → parcel; DIENTICH, DT → area; KHLOAIDAT, Loại đất → land use …). When a name is not recognised, override it as &lt;code&gt;map.sheet=SOTO;register.area=DT&lt;/code&gt; (sides: map, register, sheets). The log lists the field chosen for each role.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Outputs&lt;/b&gt;: a GeoPackage with a &lt;code&gt;flags&lt;/code&gt; layer (code, severity, commune, sheet, parcel, map_fid, register_row, message, suggestion, status, comment), loaded as "Flags"; optionally an XLSX report; counts of parcels, register rows, matched parcels and flags, in total and per code.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Codes&lt;/b&gt;:&lt;/p&gt;&lt;ul&gt;</source>
      <translation>&lt;p&gt;Đối chiếu các thửa trên bản đồ địa chính với các dòng của sổ mục kê theo số tờ và số thửa, và ghi mọi chỗ không khớp thành cờ lỗi.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Đầu vào&lt;/b&gt;: lớp thửa đất (vùng); sổ mục kê, dưới dạng tệp (XLSX hoặc CSV) &lt;i&gt;hoặc&lt;/i&gt; lớp bảng đã nạp sẵn (chỉ chọn một trong hai); tùy chọn: khung tờ bản đồ (để lấy tỷ lệ và xác định thửa nằm trên tờ nào), mã xã khi bản đồ không có trường mã xã, tỷ lệ bản đồ (quyết định sai số diện tích cho phép; mặc định lấy từ lớp tờ bản đồ, nếu không có thì 1:2000) và chỉ định trường thủ công.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Các trường&lt;/b&gt; được nhận diện tự động theo tên thường dùng tại các cơ quan địa chính (SHBANDO, Số tờ, so_to → số tờ (sheet); SHTHUA, Số thửa → số thửa (parcel); DIENTICH, DT → diện tích (area); KHLOAIDAT, Loại đất → loại đất (landuse) …). Khi một tên không được nhận diện, hãy chỉ định thủ công theo dạng &lt;code&gt;map.sheet=SOTO;register.area=DT&lt;/code&gt; (phía: map = bản đồ, register = sổ mục kê, sheets = khung tờ bản đồ). Nhật ký liệt kê trường được chọn cho từng vai trò.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Kết quả&lt;/b&gt;: tệp GeoPackage có lớp &lt;code&gt;flags&lt;/code&gt; (các trường code, severity, commune, sheet, parcel, map_fid, register_row, message, suggestion, status, comment), nạp vào dự án với tên "Cờ lỗi"; tùy chọn báo cáo XLSX; số lượng thửa, số dòng sổ mục kê, số thửa đã khớp và số cờ lỗi, tính tổng và theo từng mã lỗi.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Mã lỗi&lt;/b&gt;:&lt;/p&gt;&lt;ul&gt;</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="220" />
      <source>Cancelled: nothing was written.</source>
      <translation>Đã hủy: chưa ghi dữ liệu nào.</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="85" />
      <source>Checks</source>
      <translation>Kiểm tra</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="130" />
      <source>Commune code (when the map has no commune field)</source>
      <translation>Mã xã (khi bản đồ không có trường mã xã)</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="151" />
      <source>Excel workbook (*.xlsx)</source>
      <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="144" />
      <source>Field overrides (e.g. map.sheet=SOTO;register.area=DT)</source>
      <translation>Chỉ định trường thủ công (ví dụ map.sheet=SOTO;register.area=DT)</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="149" />
      <source>Flags</source>
      <translation>Cờ lỗi</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="134" />
      <source>From the sheet layer, else 1:2000</source>
      <translation>Lấy từ lớp tờ bản đồ, nếu không có thì 1:2000</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="149" />
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="133" />
      <source>Map scale (area tolerance)</source>
      <translation>Tỷ lệ bản đồ (để tính sai số diện tích cho phép)</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="185" />
      <source>No register given: choose a register file (REGISTER_FILE, .xlsx or .csv) or a register table layer (REGISTER_LAYER).</source>
      <translation>Chưa có sổ mục kê: hãy chọn tệp sổ mục kê (REGISTER_FILE, .xlsx hoặc .csv) hoặc lớp bảng sổ mục kê (REGISTER_LAYER).</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="158" />
      <source>Open flags</source>
      <translation>Cờ lỗi đang mở</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="118" />
      <source>Parcel layer (map)</source>
      <translation>Lớp thửa đất (bản đồ)</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="156" />
      <source>Parcels matched with a register row</source>
      <translation>Số lượng thửa khớp với dòng sổ mục kê</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="154" />
      <source>Parcels on the map</source>
      <translation>Số lượng thửa trên bản đồ</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="82" />
      <source>Reconcile map and register</source>
      <translation>Đối chiếu bản đồ với sổ mục kê</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="120" />
      <source>Register file (XLSX or CSV)</source>
      <translation>Tệp sổ mục kê (XLSX hoặc CSV)</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="155" />
      <source>Register rows</source>
      <translation>Số dòng sổ mục kê</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="122" />
      <source>Registers (*.xlsx *.xlsm *.csv *.txt);;All files (*.*)</source>
      <translation>Sổ mục kê (*.xlsx *.xlsm *.csv *.txt);;Tất cả các tệp (*.*)</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="151" />
      <source>Report</source>
      <translation>Báo cáo</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="128" />
      <source>Sheet frames</source>
      <translation>Khung tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="138" />
      <source>Sheet reference table of the 2025 merger (old keys follow it)</source>
      <translation>Bảng tham chiếu bản đồ địa chính 2 cấp (khóa cũ được đổi theo bảng)</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="139" />
      <source>Tables (*.xlsx *.csv);;All files (*.*)</source>
      <translation>Bảng (*.xlsx *.csv);;Mọi tệp (*.*)</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="182" />
      <source>Two registers given: choose either a register file (REGISTER_FILE) or a register table layer (REGISTER_LAYER), not both.</source>
      <translation>Đã chọn hai nguồn sổ mục kê: chỉ chọn tệp sổ mục kê (REGISTER_FILE) hoặc lớp bảng sổ mục kê (REGISTER_LAYER), không chọn cả hai.</translation>
    </message>
    <message>
      <location filename="../processing_provider/reconcile_register.py" line="125" />
      <source>…or register table layer</source>
      <translation>…hoặc lớp bảng sổ mục kê</translation>
    </message>
  </context>
  <context>
    <name>RenumberMergerAlgorithm</name>
    <message>
      <source>&lt;p&gt;Gives parcels, sheet frames and the register the commune codes and sheet numbers in force after the 2025 merger, in &lt;b&gt;corrected copies&lt;/b&gt;; the sources are never modified. The old code and sheet number are kept in &lt;code&gt;MAXA_CU&lt;/code&gt; and &lt;code&gt;SHBANDO_CU&lt;/code&gt;; parcel numbers do not change.&lt;/p&gt;&lt;p&gt;Sheet reference table: the commune whose code is kept keeps its sheet numbers; the sheets of the other communes merged into it are numbered on above its highest sheet number, commune by commune in order of old code. Non-numeric sheets (e.g. TĐ03-2014) of those communes keep their text with the old commune code in front (00703_TĐ03-2014). Give the official table (CSV or XLSX with columns old_commune, old_sheet, new_commune, new_sheet) to use it instead; it is checked first.&lt;/p&gt;&lt;p&gt;The GeoPackage holds &lt;code&gt;parcels&lt;/code&gt;, &lt;code&gt;sheets&lt;/code&gt;, the table &lt;code&gt;changes&lt;/code&gt; (every changed row) and the table &lt;code&gt;reference&lt;/code&gt; used.&lt;/p&gt;</source>
      <translation type="obsolete">&lt;p&gt;Cập nhật cho thửa đất, khung tờ bản đồ và sổ mục kê mã xã và số tờ bản đồ có hiệu lực sau khi sắp xếp, sáp nhập đơn vị hành chính cấp xã (2025), trong các &lt;b&gt;bản sao đã sửa&lt;/b&gt;; dữ liệu nguồn không bao giờ bị thay đổi. Mã xã cũ và số tờ cũ được giữ trong &lt;code&gt;MAXA_CU&lt;/code&gt; và &lt;code&gt;SHBANDO_CU&lt;/code&gt;; số thửa không thay đổi.&lt;/p&gt;&lt;p&gt;Bảng đối chiếu số tờ bản đồ cũ – mới: xã có mã được giữ lại giữ nguyên số tờ của mình; các tờ của những xã khác sáp nhập vào được đánh số tiếp theo sau số tờ lớn nhất của xã đó, lần lượt từng xã theo thứ tự mã xã cũ. Các tờ không đánh số bằng chữ số (ví dụ TĐ03-2014) của những xã này giữ nguyên tên, thêm mã xã cũ ở đầu (00703_TĐ03-2014). Có thể chọn bảng chính thức (CSV hoặc XLSX với các cột old_commune, old_sheet, new_commune, new_sheet) để dùng thay thế; bảng này được kiểm tra trước.&lt;/p&gt;&lt;p&gt;GeoPackage chứa &lt;code&gt;parcels&lt;/code&gt;, &lt;code&gt;sheets&lt;/code&gt;, bảng &lt;code&gt;changes&lt;/code&gt; (mọi dòng đã thay đổi) và bảng &lt;code&gt;reference&lt;/code&gt; đã dùng.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="57" />
      <source>&lt;p&gt;Gives parcels, sheet frames and the register the commune codes and sheet numbers in force after the 2025 merger, in &lt;b&gt;corrected copies&lt;/b&gt;; the sources are never modified. The old code and sheet number are kept in &lt;code&gt;MAXA_CU&lt;/code&gt; and &lt;code&gt;SHBANDO_CU&lt;/code&gt;; parcel numbers do not change.&lt;/p&gt;&lt;p&gt;Sheet reference table: the commune whose code is kept keeps its sheet numbers; the sheets of the other communes merged into it are numbered on above its highest sheet number, commune by commune in order of old code. Non-numeric sheets (e.g. TĐ03-2014) of those communes keep their text with the old commune code in front (00703_TĐ03-2014). Give the official table (CSV or XLSX with columns old_commune, old_sheet, new_commune, new_sheet) to use it instead; it is checked first.&lt;/p&gt;&lt;p&gt;The national land system's table (&lt;i&gt;bảng tham chiếu bản đồ địa chính 2 cấp&lt;/i&gt;: xaIdCu, soHieuToBanDoCu, xaId, soHieuToBanDo, tyLe, soThuTuThuaCu, soThuTuThua …) is read as it comes: codes padded to their official width, the scale part of the sheet key (sheets matched by commune, sheet number and scale), parcels renumbered where it gives new parcel numbers (SHTHUA_CU keeps the old ones). Rows with a code that is not official, a new commune that is not the old one's successor or an old key sent to two targets are not applied and are listed by code in the table &lt;code&gt;findings&lt;/code&gt;, with the sheets and parcels the table does not cover.&lt;/p&gt;&lt;p&gt;The GeoPackage holds &lt;code&gt;parcels&lt;/code&gt;, &lt;code&gt;sheets&lt;/code&gt;, the table &lt;code&gt;changes&lt;/code&gt; (every changed row) and the table &lt;code&gt;reference&lt;/code&gt; used.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Cập nhật cho thửa đất, khung tờ bản đồ và sổ mục kê mã xã và số tờ bản đồ có hiệu lực sau khi sắp xếp, sáp nhập đơn vị hành chính cấp xã (2025), trong các &lt;b&gt;bản sao đã sửa&lt;/b&gt;; dữ liệu nguồn không bao giờ bị thay đổi. Mã xã cũ và số tờ cũ được giữ trong &lt;code&gt;MAXA_CU&lt;/code&gt; và &lt;code&gt;SHBANDO_CU&lt;/code&gt;; số thửa không thay đổi.&lt;/p&gt;&lt;p&gt;Bảng đối chiếu số tờ bản đồ cũ – mới: xã có mã được giữ lại giữ nguyên số tờ của mình; các tờ của những xã khác sáp nhập vào được đánh số tiếp theo sau số tờ lớn nhất của xã đó, lần lượt từng xã theo thứ tự mã xã cũ. Các tờ không đánh số bằng chữ số (ví dụ TĐ03-2014) của những xã này giữ nguyên tên, thêm mã xã cũ ở đầu (00703_TĐ03-2014). Có thể chọn bảng chính thức (CSV hoặc XLSX với các cột old_commune, old_sheet, new_commune, new_sheet) để dùng thay thế; bảng này được kiểm tra trước.&lt;/p&gt;&lt;p&gt;Bảng tham chiếu (&lt;i&gt;bảng tham chiếu bản đồ địa chính 2 cấp&lt;/i&gt;) của hệ thống thông tin đất đai quốc gia (các cột xaIdCu, soHieuToBanDoCu, xaId, soHieuToBanDo, tyLe, soThuTuThuaCu, soThuTuThua …) được đọc nguyên trạng: mã được bổ sung số 0 đứng đầu cho đủ độ dài chính thức, tỷ lệ là một phần của khóa tờ (tờ được khớp theo xã, số tờ và tỷ lệ), thửa được đánh số lại khi bảng có số thửa mới (SHTHUA_CU giữ số cũ). Các dòng có mã không chính thức, xã mới không phải xã kế thừa của xã cũ, hoặc một khóa cũ được chuyển tới hai nơi không được áp dụng và được liệt kê theo mã trong bảng &lt;code&gt;findings&lt;/code&gt;, cùng với các tờ và thửa mà bảng không có.&lt;/p&gt;&lt;p&gt;GeoPackage chứa &lt;code&gt;parcels&lt;/code&gt;, &lt;code&gt;sheets&lt;/code&gt;, bảng &lt;code&gt;changes&lt;/code&gt; (mọi dòng đã thay đổi) và bảng &lt;code&gt;reference&lt;/code&gt; đã dùng.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="98" />
      <source>CSV (*.csv);;Excel (*.xlsx)</source>
      <translation>CSV (*.csv);;Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="91" />
      <source>Commune code of layers without a commune field</source>
      <translation>Mã xã của các lớp không có trường mã xã</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="93" />
      <source>Corrected copy</source>
      <translation>Bản sao đã sửa</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="95" />
      <source>Corrected register</source>
      <translation>Sổ mục kê đã sửa</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="131" />
      <source>Corrected register: {0}</source>
      <translation>Sổ mục kê đã sửa: {0}</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="95" />
      <source>Excel (*.xlsx);;CSV (*.csv)</source>
      <translation>Excel (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="101" />
      <source>Findings</source>
      <translation>Phát hiện</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="48" />
      <source>Fixes</source>
      <translation>Sửa lỗi</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="93" />
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="88" />
      <source>Official sheet reference table (else built)</source>
      <translation>Bảng đối chiếu số tờ bản đồ cũ – mới chính thức (nếu không có thì tự lập)</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="80" />
      <source>Parcel layer</source>
      <translation>Lớp thửa đất</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="136" />
      <source>Parcels (renumbered)</source>
      <translation>Thửa đất (đã đánh số lại)</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="103" />
      <source>Reference table rows applied</source>
      <translation>Số dòng bảng tham chiếu được áp dụng</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="102" />
      <source>Reference table rows read</source>
      <translation>Số dòng bảng tham chiếu đã đọc</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="84" />
      <source>Register</source>
      <translation>Sổ mục kê</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="85" />
      <source>Registers (*.xlsx *.xlsm *.xls *.ods *.csv *.txt *.dbf);;All files (*.*)</source>
      <translation>Sổ mục kê (*.xlsx *.xlsm *.xls *.ods *.csv *.txt *.dbf);;Tất cả các tệp (*.*)</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="45" />
      <source>Renumber after the commune merger</source>
      <translation>Đánh số lại sau khi sắp xếp, sáp nhập đơn vị hành chính cấp xã (2025)</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="100" />
      <source>Rows changed</source>
      <translation>Số dòng đã thay đổi</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="82" />
      <source>Sheet frames</source>
      <translation>Khung tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="98" />
      <source>Sheet reference table used</source>
      <translation>Bảng đối chiếu số tờ bản đồ cũ – mới đã dùng</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="89" />
      <source>Tables (*.xlsx *.csv);;All files (*.*)</source>
      <translation>Bảng (*.xlsx *.csv);;Tất cả các tệp (*.*)</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="122" />
      <source>reference table, {0}: {1} sheets</source>
      <translation>bảng đối chiếu số tờ bản đồ cũ – mới, {0}: {1} tờ</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="125" />
      <source>reference table: {0} rows read, {1} applied</source>
      <translation>bảng tham chiếu: đọc {0} dòng, áp dụng {1}</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="128" />
      <source>{0}: {1} finding(s), e.g. {2}</source>
      <translation>{0}: {1} phát hiện, ví dụ {2}</translation>
    </message>
    <message>
      <location filename="../processing_provider/renumber_merger.py" line="120" />
      <source>{0}: {1} rows, {2} changed</source>
      <translation>{0}: {1} dòng, {2} dòng đã thay đổi</translation>
    </message>
  </context>
  <context>
    <name>ReviewDock</name>
    <message>
      <location filename="../ui/review_dock.py" line="380" />
      <source>(all)</source>
      <translation>(tất cả)</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="555" />
      <source>(confidence {percent} %)</source>
      <translation>(độ tin cậy {percent} %)</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="318" />
      <source>(no sheet)</source>
      <translation>(không có tờ)</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="385" />
      <source>(none)</source>
      <translation>(không có)</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="253" />
      <source>Accept the selected flags as they are, with a comment saying why</source>
      <translation>Chấp nhận các cờ lỗi đã chọn như hiện trạng, kèm ghi chú nêu lý do</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="113" />
      <source>All codes</source>
      <translation>Mọi mã lỗi</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="115" />
      <source>All severities</source>
      <translation>Mọi mức độ</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="119" />
      <source>All sheets</source>
      <translation>Mọi tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="117" />
      <source>All statuses</source>
      <translation>Mọi trạng thái</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="588" />
      <source>An exception needs a comment saying why; nothing was recorded.</source>
      <translation>Ngoại lệ cần có ghi chú nêu lý do; chưa ghi nhận gì.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="187" />
      <source>Apply suggestion</source>
      <translation>Áp dụng gợi ý</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="707" />
      <source>Apply suggestion: {code} {key}</source>
      <translation>Áp dụng gợi ý: {code} {key}</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="764" />
      <source>CSV, UTF-8 (*.csv)</source>
      <translation>CSV, UTF-8 (*.csv)</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="565" />
      <source>Comment: {comment}</source>
      <translation>Ghi chú: {comment}</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="132" />
      <source>Count the flags per code or per sheet; click a group to show only its flags</source>
      <translation>Đếm cờ lỗi theo mã lỗi hoặc theo tờ bản đồ; bấm vào một nhóm để chỉ hiện các cờ lỗi của nhóm đó</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="125" />
      <source>Every word must appear; case and accents are ignored ("nguyen" finds "Nguyễn")</source>
      <translation>Phải có đủ mọi từ; không phân biệt chữ hoa, chữ thường và dấu ("nguyen" tìm được "Nguyễn")</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="764" />
      <source>Excel workbook (*.xlsx)</source>
      <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="583" />
      <source>Exception</source>
      <translation>Ngoại lệ</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="189" />
      <source>Exception…</source>
      <translation>Ngoại lệ…</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="766" />
      <source>Export the flags shown</source>
      <translation>Xuất các cờ lỗi đang hiện</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="193" />
      <source>Export…</source>
      <translation>Xuất…</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="558" />
      <source>First seen {when}</source>
      <translation>Phát hiện lần đầu: {when}</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="765" />
      <source>GeoPackage with geometries (*.gpkg)</source>
      <translation>GeoPackage kèm hình học (*.gpkg)</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="658" />
      <source>Geometry fixes are not applied here: use the Fix topology algorithm.</source>
      <translation>Không áp dụng sửa hình học tại đây: hãy dùng thuật toán Sửa lỗi topology.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="144" />
      <source>Group</source>
      <translation>Nhóm</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="130" />
      <source>Group by code</source>
      <translation>Nhóm theo mã lỗi</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="131" />
      <source>Group by sheet</source>
      <translation>Nhóm theo tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="566" />
      <source>History</source>
      <translation>Lịch sử</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="559" />
      <source>Last seen {when} (run {run})</source>
      <translation>Phát hiện lần cuối: {when} (lần chạy {run})</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="704" />
      <source>Layer {layer} cannot be edited.</source>
      <translation>Không thể chỉnh sửa lớp {layer}.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="679" />
      <source>Layer {layer} has no field {field}.</source>
      <translation>Lớp {layer} không có trường {field}.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="713" />
      <source>Layer {layer} refused the change.</source>
      <translation>Lớp {layer} không chấp nhận thay đổi.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="548" />
      <source>Map</source>
      <translation>Bản đồ</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="188" />
      <source>Mark fixed</source>
      <translation>Đánh dấu đã sửa</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="248" />
      <source>Mark the selected flags fixed</source>
      <translation>Đánh dấu các cờ lỗi đã chọn là đã sửa</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="192" />
      <source>Next</source>
      <translation>Tiếp</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="245" />
      <source>Next flag</source>
      <translation>Cờ lỗi tiếp theo</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="531" />
      <source>No flag selected.</source>
      <translation>Chưa chọn cờ lỗi nào.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="129" />
      <source>No grouping</source>
      <translation>Không nhóm</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="663" />
      <source>No parcel layer: load the flags together with the parcel layer to apply suggestions.</source>
      <translation>Chưa có lớp thửa đất: hãy nạp cờ lỗi cùng với lớp thửa đất để áp dụng gợi ý.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="144" />
      <source>Open</source>
      <translation>Đang mở</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="544" />
      <source>Other parcel</source>
      <translation>Thửa khác</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="540" />
      <source>Parcel</source>
      <translation>Thửa</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="669" />
      <source>Parcel fid {fid} is not in layer {layer}.</source>
      <translation>Thửa có fid {fid} không có trong lớp {layer}.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="191" />
      <source>Previous</source>
      <translation>Trước</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="246" />
      <source>Previous flag</source>
      <translation>Cờ lỗi trước</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="548" />
      <source>Register</source>
      <translation>Sổ mục kê</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="190" />
      <source>Reopen</source>
      <translation>Mở lại</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="255" />
      <source>Reopen the selected flags</source>
      <translation>Mở lại các cờ lỗi đã chọn</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="79" />
      <source>Review flags</source>
      <translation>Rà soát cờ lỗi</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="285" />
      <source>Review flags — {name}</source>
      <translation>Rà soát cờ lỗi — {name}</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="263" />
      <source>Save the flags shown (after filtering) as Excel, CSV or GeoPackage</source>
      <translation>Lưu các cờ lỗi đang hiện (sau khi lọc) ra tệp Excel, CSV hoặc GeoPackage</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="124" />
      <source>Search messages, parcels, comments…</source>
      <translation>Tìm trong nội dung, thửa, ghi chú…</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="120" />
      <source>Show only flags on these map sheets</source>
      <translation>Chỉ hiện cờ lỗi trên các tờ bản đồ này</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="118" />
      <source>Show only flags with these review states</source>
      <translation>Chỉ hiện cờ lỗi có các trạng thái rà soát này</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="114" />
      <source>Show only these check codes</source>
      <translation>Chỉ hiện các mã lỗi này</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="116" />
      <source>Show only these severities</source>
      <translation>Chỉ hiện các mức độ này</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="553" />
      <source>Suggestion</source>
      <translation>Gợi ý</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="717" />
      <source>Suggestion applied in the edit buffer ({changes})</source>
      <translation>Đã áp dụng gợi ý vào bộ đệm chỉnh sửa ({changes})</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="647" />
      <source>The flag is already decided ({status}); reopen it first.</source>
      <translation>Cờ lỗi đã được xử lý ({status}); hãy mở lại trước.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="666" />
      <source>The flag names no parcel of the map.</source>
      <translation>Cờ lỗi không gắn với thửa nào trên bản đồ.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="675" />
      <source>The flags file does not say which field holds the {role}.</source>
      <translation>Tệp cờ lỗi không cho biết trường nào chứa {role}.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="691" />
      <source>The parcel already has the suggested values.</source>
      <translation>Thửa đã có sẵn các giá trị được gợi ý.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="651" />
      <source>The suggestion is for the register: correct the register, then run the check again.</source>
      <translation>Gợi ý này dành cho sổ mục kê: hãy sửa sổ mục kê rồi chạy lại kiểm tra.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="660" />
      <source>This flag has no value to write into the map.</source>
      <translation>Cờ lỗi này không có giá trị nào để ghi vào bản đồ.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="451" />
      <source>This is the first flag of the list.</source>
      <translation>Đây là cờ lỗi đầu tiên của danh sách.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="445" />
      <source>This is the last flag of the list.</source>
      <translation>Đây là cờ lỗi cuối cùng của danh sách.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="144" />
      <source>Total</source>
      <translation>Tổng</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="542" />
      <source>Value</source>
      <translation>Giá trị</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="584" />
      <source>Why is this flag accepted as it is?</source>
      <translation>Vì sao chấp nhận cờ lỗi này như hiện trạng?</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="250" />
      <source>Write the suggested value into the parcel layer (undo with Ctrl+Z) and mark the flag fixed</source>
      <translation>Ghi giá trị được gợi ý vào lớp thửa đất (hoàn tác bằng Ctrl+Z) và đánh dấu cờ lỗi là đã sửa</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="551" />
      <source>in the register</source>
      <translation>trong sổ mục kê</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="551" />
      <source>on the map</source>
      <translation>trên bản đồ</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="541" />
      <source>row {row}</source>
      <translation>dòng {row}</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="726" />
      <source>{changes}. Save the layer's edits to keep them; Ctrl+Z undoes them and reopens the flag.</source>
      <translation>{changes}. Hãy lưu các chỉnh sửa của lớp để giữ lại; Ctrl+Z sẽ hoàn tác và mở lại cờ lỗi.</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="760" />
      <source>{count} flags exported to {path}</source>
      <translation>Đã xuất {count} cờ lỗi ra {path}</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="370" />
      <source>{shown} of {total} flags shown</source>
      <translation>Đang hiện {shown} / {total} cờ lỗi</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="562" />
      <source>{status} by {who} at {when}</source>
      <translation>{status} bởi {who} lúc {when}</translation>
    </message>
    <message>
      <location filename="../ui/review_dock.py" line="685" />
      <source>{value} does not fit field {field}.</source>
      <translation>{value} không phù hợp với trường {field}.</translation>
    </message>
  </context>
  <context>
    <name>RunChecksDialog</name>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="122" />
      <source>(none)</source>
      <translation>(không có)</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="107" />
      <source>(none: use a file, or no register)</source>
      <translation>(không có: dùng tệp, hoặc không dùng sổ mục kê)</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="510" />
      <source>(the flags layer could not be loaded)</source>
      <translation>(không nạp được lớp cờ lỗi)</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="154" />
      <source>By each sheet's scale</source>
      <translation>Theo tỷ lệ của từng tờ</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="533" />
      <source>Cadastre Cleaner</source>
      <translation>Cadastre Cleaner</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="87" />
      <source>Cadastre Cleaner — Run checks</source>
      <translation>Cadastre Cleaner — Chạy kiểm tra</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="473" />
      <source>Cadastre Cleaner: checking {layer}</source>
      <translation>Cadastre Cleaner: đang kiểm tra {layer}</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="196" />
      <source>Cancel</source>
      <translation>Hủy</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="487" />
      <source>Cancelling…</source>
      <translation>Đang hủy…</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="481" />
      <source>Checking…</source>
      <translation>Đang kiểm tra…</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="145" />
      <source>Checks</source>
      <translation>Kiểm tra</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="513" />
      <source>Checks finished</source>
      <translation>Đã kiểm tra xong</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="200" />
      <source>Close</source>
      <translation>Đóng</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="202" />
      <source>Close this window; a running check goes on</source>
      <translation>Đóng cửa sổ này; phép kiểm tra đang chạy vẫn tiếp tục</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="168" />
      <source>Created on the first run; later runs update it and keep the reviewers' status and comments</source>
      <translation>Được tạo ở lần chạy đầu tiên; các lần chạy sau cập nhật tệp và giữ nguyên trạng thái, ghi chú của người rà soát</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="173" />
      <source>Excel workbook (*.xlsx)</source>
      <translation>Tệp Excel (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="139" />
      <source>Fields</source>
      <translation>Trường dữ liệu</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="167" />
      <source>Flags file</source>
      <translation>Tệp cờ lỗi</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="159" />
      <source>From the sheets (else 1:2000)</source>
      <translation>Lấy từ tờ bản đồ (nếu không có thì 1:2000)</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="165" />
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="127" />
      <source>Inputs</source>
      <translation>Đầu vào</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="180" />
      <source>Map scale</source>
      <translation>Tỷ lệ bản đồ</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="175" />
      <source>Optional: flags, per-sheet summary and counts as XLSX</source>
      <translation>Tùy chọn: cờ lỗi, tổng hợp theo từng tờ và số lượng, dạng XLSX</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="177" />
      <source>Options and output</source>
      <translation>Tùy chọn và kết quả</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="129" />
      <source>Parcels</source>
      <translation>Thửa đất</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="155" />
      <source>Positional tolerance of the topology checks; 0 = by scale (0.15 m at 1:1000, 0.30 m at 1:2000, …)</source>
      <translation>Sai số vị trí của các phép kiểm tra topology; 0 = theo tỷ lệ bản đồ (0.15 m ở 1:1000, 0.30 m ở 1:2000, …)</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="131" />
      <source>Register (file)</source>
      <translation>Sổ mục kê (tệp)</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="130" />
      <source>Register (layer)</source>
      <translation>Sổ mục kê (lớp)</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="115" />
      <source>Register table</source>
      <translation>Bảng sổ mục kê</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="114" />
      <source>Register tables (*.xlsx *.xls *.xlsm *.ods *.csv *.txt);;All files (*)</source>
      <translation>Bảng sổ mục kê (*.xlsx *.xls *.xlsm *.ods *.csv *.txt);;Tất cả các tệp (*)</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="174" />
      <source>Report</source>
      <translation>Báo cáo</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="182" />
      <source>Report (optional)</source>
      <translation>Báo cáo (tùy chọn)</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="193" />
      <source>Run</source>
      <translation>Chạy</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="124" />
      <source>Sheet frames (tờ bản đồ), optional: sheet numbers by location and each sheet's scale</source>
      <translation>Khung tờ bản đồ, tùy chọn: xác định số tờ theo vị trí và tỷ lệ của từng tờ</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="132" />
      <source>Sheets</source>
      <translation>Tờ bản đồ</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="199" />
      <source>Stop the running check; nothing is written</source>
      <translation>Dừng phép kiểm tra đang chạy; không ghi dữ liệu nào</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="109" />
      <source>The land register (sổ mục kê) as a table of the project</source>
      <translation>Sổ mục kê dưới dạng một lớp bảng trong dự án</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="160" />
      <source>The map scale where the sheets don't give it</source>
      <translation>Tỷ lệ bản đồ dùng khi tờ bản đồ không ghi tỷ lệ</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="102" />
      <source>The parcel map (thửa đất): a polygon layer</source>
      <translation>Bản đồ thửa đất: một lớp vùng</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="179" />
      <source>Tolerance</source>
      <translation>Sai số</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="447" />
      <source>check the path</source>
      <translation>hãy kiểm tra đường dẫn</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="421" />
      <source>choose a parcel layer</source>
      <translation>hãy chọn lớp thửa đất</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="429" />
      <source>choose the field in the Fields table</source>
      <translation>hãy chọn trường trong bảng Trường dữ liệu</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="424" />
      <source>choose where to write the flags (a .gpkg file)</source>
      <translation>hãy chọn nơi ghi cờ lỗi (một tệp .gpkg)</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="432" />
      <source>no check is ticked</source>
      <translation>chưa đánh dấu phép kiểm tra nào</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="447" />
      <source>register file not found</source>
      <translation>không tìm thấy tệp sổ mục kê</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="432" />
      <source>tick at least one check</source>
      <translation>hãy đánh dấu ít nhất một phép kiểm tra</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="504" />
      <source>{errors} errors, {warnings} warnings, {info} info on {parcels} parcels ({matched} matched with {rows} register rows). Flags: {path}</source>
      <translation>{errors} lỗi, {warnings} cảnh báo, {info} thông tin trên {parcels} thửa ({matched} thửa khớp với {rows} dòng sổ mục kê). Cờ lỗi: {path}</translation>
    </message>
    <message>
      <location filename="../ui/run_checks_dialog.py" line="116" />
      <source>…or the register as a file: XLSX, XLS, ODS or CSV. Leave both empty to check the map alone.</source>
      <translation>…hoặc sổ mục kê dưới dạng tệp: XLSX, XLS, ODS hoặc CSV. Để trống cả hai để chỉ kiểm tra bản đồ.</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="../ui/settings.py" line="85" />
      <source>Area tolerance factor F</source>
      <translation>Hệ số sai số diện tích F</translation>
    </message>
    <message>
      <location filename="../ui/settings.py" line="75" />
      <source>Area tolerance ΔP = F × M × √P m² (M: the sheet's scale denominator, P: the area). Default 0.0004 (2 × 0.0002).</source>
      <translation>Sai số diện tích cho phép ΔP = F × M × √P m² (M: mẫu số tỷ lệ của tờ bản đồ, P: diện tích). Mặc định 0.0004 (2 × 0.0002).</translation>
    </message>
    <message>
      <location filename="../ui/settings.py" line="67" />
      <source>Cadastre Cleaner settings</source>
      <translation>Thiết lập Cadastre Cleaner</translation>
    </message>
    <message>
      <location filename="../ui/settings.py" line="86" />
      <source>Default map scale</source>
      <translation>Tỷ lệ bản đồ mặc định</translation>
    </message>
    <message>
      <location filename="../ui/settings.py" line="81" />
      <source>None (1:2000 where the sheets don't say)</source>
      <translation>Không (1:2000 khi tờ bản đồ không ghi tỷ lệ)</translation>
    </message>
    <message>
      <location filename="../ui/settings.py" line="87" />
      <source>Used by Run checks unless a project says otherwise.</source>
      <translation>Được dùng khi Chạy kiểm tra, trừ khi dự án có thiết lập khác.</translation>
    </message>
  </context>
</TS>
